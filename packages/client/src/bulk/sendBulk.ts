import { type CourierClient, unwrap } from "@courier-ts/client";
import { type Batch, batchesOf, UnsendableUserError } from "./batches.js";
import { BulkSendError } from "./errors.js";
import { failedUsers, getJob, runJob, waitForJob, withSignal } from "./job.js";
import type { BulkCheckpoint, BulkJob, BulkProgress, SendBulkOptions, SendBulkResult } from "./types.js";

const DEFAULTS = { maxBatchUsers: 1000, maxBatchBytes: 5_000_000, concurrency: 4, maxRetries: 10 };

function positive(name: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1) {
    throw new TypeError(`sendBulk: ${name} must be a positive integer, got ${String(value)}`);
  }
  return n;
}

/**
 * Sends one message to a stream of users with Courier's bulk API: creates the job, adds the users in
 * batches under the request cap (a few in flight), runs the job and, with `wait`, waits for it to
 * finish and returns its counters and failed users.
 *
 * Each batch carries an `Idempotency-Key` made of the job id and the batch's place in the source, so a
 * retried batch, or one sent again after a crash, is never added twice. Memory stays flat: users are
 * read from the source only as batches go out.
 *
 * @example
 * ```ts
 * import { createCourierClient } from "@courier-ts/client";
 * import { sendBulk } from "@courier-ts/client/bulk";
 *
 * const courier = createCourierClient();
 * const result = await sendBulk(courier, {
 *   message: { event: "WELCOME", template: "WELCOME" },
 *   users: [{ recipient: "user-1", profile: { email: "a@example.com" } }],
 *   checkpoint: (c) => writeFileSync("job.json", JSON.stringify(c)),
 *   wait: true,
 * });
 * console.log(result.job?.status, result.failures.length);
 * ```
 */
export async function sendBulk(client: CourierClient, options: SendBulkOptions): Promise<SendBulkResult> {
  const started = Date.now();
  const maxBatchUsers = positive("maxBatchUsers", options.maxBatchUsers, DEFAULTS.maxBatchUsers);
  const maxBatchBytes = positive("maxBatchBytes", options.maxBatchBytes, DEFAULTS.maxBatchBytes);
  const concurrency = positive("concurrency", options.concurrency, DEFAULTS.concurrency);
  const maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
  const { signal } = options;
  const stats = { usersAdded: options.resume?.usersAdded ?? 0, bytesSent: 0, batches: 0 };
  let jobId = options.resume?.jobId ?? "";

  const progress = (phase: BulkProgress["phase"], job?: BulkJob) =>
    options.onProgress?.({ phase, jobId, ...stats, elapsedMs: Date.now() - started, ...(job ? { job } : {}) });
  const fail = (message: string, code: BulkSendError["code"], cause: unknown, at?: BulkCheckpoint) => {
    if (cause instanceof BulkSendError) {
      return cause;
    }
    const checkpoint = at ?? (jobId ? { jobId, usersAdded: stats.usersAdded } : undefined);
    return new BulkSendError(message, signal?.aborted ? "aborted" : code, checkpoint, cause);
  };
  if (signal?.aborted) {
    throw fail("Bulk send aborted before it started", "aborted", signal.reason);
  }

  // Checkpoints are saved one after another, in order; after a failed one, none is saved.
  let saving: Promise<void> = Promise.resolve();
  const save = (checkpoint: BulkCheckpoint) => {
    saving = saving.then(() => options.checkpoint?.(checkpoint));
    return saving.catch((error: unknown) => {
      throw fail("The checkpoint callback failed", "checkpoint_failed", error, checkpoint);
    });
  };

  let status: BulkJob["status"] = "CREATED";
  try {
    if (options.resume) {
      const current = await getJob(client, jobId, maxRetries, signal);
      status = current.status;
      if (status !== "CREATED") {
        stats.usersAdded = current.received;
      }
    } else {
      const created = await withSignal(signal, (own) =>
        unwrap(client.POST("/bulk", { body: { message: options.message }, maxRetries, signal: own })),
      );
      jobId = created.jobId;
    }
  } catch (error) {
    throw fail(`Could not ${options.resume ? "read" : "create"} the bulk job`, "bulk_failed", error);
  }
  if (!options.resume) {
    await save({ jobId, usersAdded: 0 });
  }

  // A job that is no longer CREATED already ran, after all its users were added: go straight to waiting.
  if (status === "CREATED") {
    await addUsers();
    progress("running");
    try {
      await runJob(client, jobId, maxRetries);
    } catch (error) {
      throw fail(`Could not run bulk job ${jobId}`, "bulk_failed", error);
    }
  }

  let job: BulkJob | undefined;
  let failures: SendBulkResult["failures"] = [];
  if (options.wait) {
    const wait = options.wait === true ? {} : options.wait;
    try {
      job = await waitForJob(client, jobId, wait, maxRetries, signal, (polled) => progress("waiting", polled));
      failures = await failedUsers(client, jobId, job.failures, wait.maxFailures ?? 100, signal);
    } catch (error) {
      const message = signal?.aborted
        ? `Stopped waiting for bulk job ${jobId}`
        : `Could not wait for bulk job ${jobId}`;
      throw fail(message, "bulk_failed", error);
    }
  }
  progress("done", job);
  return { jobId, ...stats, elapsedMs: Date.now() - started, ...(job ? { job } : {}), failures };

  async function addUsers(): Promise<void> {
    const skip = stats.usersAdded;
    // Batches acknowledged out of order, by start index, until the ones before them are acknowledged too.
    const acknowledged = new Map<number, number>();
    let contiguous = skip;
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;

    const send = async (batch: Batch) => {
      await unwrap(
        client.POST("/bulk/{job_id}", {
          params: { path: { job_id: jobId } },
          body: { users: batch.users },
          idempotencyKey: `${jobId}:${batch.start}+${batch.users.length}`,
          maxRetries,
        }),
      );
      stats.usersAdded += batch.users.length;
      stats.bytesSent += batch.bytes;
      stats.batches++;
      acknowledged.set(batch.start, batch.users.length);
      const before = contiguous;
      for (let n = acknowledged.get(contiguous); n !== undefined; n = acknowledged.get(contiguous)) {
        acknowledged.delete(contiguous);
        contiguous += n;
      }
      progress("adding");
      if (contiguous > before) {
        await save({ jobId, usersAdded: contiguous });
      }
    };

    try {
      for await (const batch of batchesOf(options.users, skip, maxBatchUsers, maxBatchBytes)) {
        while (inFlight.size >= concurrency && failure === undefined) {
          await Promise.race(inFlight);
        }
        if (failure !== undefined || signal?.aborted) {
          break;
        }
        const task: Promise<void> = send(batch)
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
    } catch (error) {
      failure ??= error;
    }
    await Promise.all(inFlight);
    // Checkpoints count only users acknowledged from the start; the rest are re-sent (and replayed) on resume.
    stats.usersAdded = contiguous;
    const at = { jobId, usersAdded: contiguous };
    if (failure instanceof UnsendableUserError) {
      throw new BulkSendError(failure.message, "invalid_user", at);
    }
    if (failure instanceof BulkSendError) {
      throw new BulkSendError(failure.message, failure.code, at, failure.cause);
    }
    if (failure !== undefined) {
      throw fail(`Adding users to bulk job ${jobId} failed`, "bulk_failed", failure, at);
    }
    if (signal?.aborted) {
      throw fail(`Bulk send aborted after ${contiguous} users`, "aborted", signal.reason, at);
    }
  }
}
