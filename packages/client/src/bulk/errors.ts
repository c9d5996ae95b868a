import { CourierError } from "@courier-ts/client";
import type { BulkCheckpoint } from "./types.js";

/** Why a bulk send stopped. */
export type BulkSendErrorCode =
  /** A request failed after its retries, or was refused (the `cause` is the `CourierError`). */
  | "bulk_failed"
  /** The caller's `signal` aborted. */
  | "aborted"
  /** The job did not finish within `wait.timeoutMs`. */
  | "wait_timeout"
  /** A user alone is larger than `maxBatchBytes`, or is not an object. */
  | "invalid_user"
  /** A `checkpoint` callback threw. */
  | "checkpoint_failed";

/**
 * A bulk send stopped before the end. `checkpoint` is how far it got (when a job exists): pass it as
 * `resume` to continue without adding anyone twice.
 *
 * @example
 * ```ts
 * try {
 *   await sendBulk(courier, { message, users });
 * } catch (e) {
 *   if (e instanceof BulkSendError && e.checkpoint) await save(e.checkpoint);
 * }
 * ```
 */
export class BulkSendError extends CourierError {
  static override readonly kind = "BulkSendError";
  declare readonly code: BulkSendErrorCode;
  /** How far the job got, or undefined when no job was created. */
  readonly checkpoint: BulkCheckpoint | undefined;

  constructor(message: string, code: BulkSendErrorCode, checkpoint: BulkCheckpoint | undefined, cause?: unknown) {
    super(message, { code, cause });
    this.checkpoint = checkpoint;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), checkpoint: this.checkpoint };
  }
}
