import { AbortError, ConnectionError, CourierError, type CourierErrorOptions, TimeoutError } from "@courier-ts/core";
import { ABORTED, CONNECTION, CONNECTION_LOST, timedOut } from "./messages.js";

/** The path of a URL, without its query string (which may hold ids that do not belong in logs). */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}

/** A typed error for a call, naming its method and path: `POST /send timed out after 1000 ms`. */
export function failure(
  Kind: new (message: string, options: CourierErrorOptions) => CourierError,
  method: string,
  url: string,
  what: string,
  cause?: unknown,
  code?: string,
): CourierError {
  const path = pathOf(url);
  return new Kind(`${method} ${path} ${what}`, { cause, code, request: { method, path } });
}

/** One attempt of a call: its abort signal, its end, and the typed error for its failure. */
export interface Attempt {
  readonly signal: AbortSignal;
  /** The attempt is over: its body was read, cancelled or failed. */
  done(): void;
  /**
   * `AbortError` when the caller aborted, `TimeoutError` when the attempt's time was up, else
   * `ConnectionError` (while connecting, or while `reading` the body).
   */
  failure(cause: unknown, reading?: boolean): CourierError;
  /** A `CourierError` of this attempt's call with its own `code`. */
  fail(what: string, code: string): CourierError;
}

/**
 * Starts an attempt. Its signal fires when its `timeout` is up or the call's signal fires, and stays
 * armed until `done()`, which is when the response body has been read to its end (see `guardBody`), not
 * when the headers arrive: `timeout` bounds the whole attempt, a body that trickles in included.
 */
export function startAttempt(method: string, url: string, timeout: number, callSignal?: AbortSignal | null): Attempt {
  // Aborted by the timer or by the caller's signal alone: when the caller's has not fired, it was the timer.
  const controller = new AbortController();
  // At most 2^31 - 1 ms (about 24.8 days), the longest delay a timer takes: a longer one, `Infinity`
  // included, would fire at once (as a negative one does, which is what it means).
  const timer = setTimeout(() => controller.abort(), Math.min(timeout, 2 ** 31 - 1));
  // A request in flight keeps the process alive already; the timer alone must not.
  (timer as { unref?: () => void }).unref?.();
  // The caller's signal may outlive many calls: its listener goes when the attempt does. Aborted
  // already, it aborts the attempt at once (fetch then fails without sending anything).
  const abort = () => controller.abort(callSignal?.reason);
  callSignal?.aborted ? abort() : callSignal?.addEventListener("abort", abort);
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      callSignal?.removeEventListener("abort", abort);
    },
    failure: (cause, reading) =>
      callSignal?.aborted
        ? failure(AbortError, method, url, ABORTED, cause)
        : controller.signal.aborted
          ? failure(TimeoutError, method, url, timedOut(timeout), cause)
          : failure(ConnectionError, method, url, reading ? CONNECTION_LOST : CONNECTION, cause),
    fail: (what, code) => failure(CourierError, method, url, what, undefined, code),
  };
}
