import { AbortError, ConnectionError, type CourierError, TimeoutError } from "@courier-ts/core";
import { messages } from "./messages.js";

/** The longest delay a timer takes (2^31 - 1 ms, about 24.8 days); longer ones would fire at once. */
const MAX_DELAY = 2_147_483_647;

/** A timeout as a timer delay: at least 0, and `Infinity` (or anything too long) as the longest delay. */
function delay(timeout: number): number {
  return Number.isNaN(timeout) ? MAX_DELAY : Math.min(Math.max(0, timeout), MAX_DELAY);
}

/** The path of a URL, without its query string (which may hold ids that do not belong in logs). */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split("?")[0] ?? url;
  }
}

/**
 * One attempt of a call: its abort signal and what to call its failure.
 *
 * The signal fires when the attempt's `timeout` is up or the call's own signal fires. It stays armed
 * until the attempt is over, which is when the response body has been read to its end (see
 * `guardBody`), not when the headers arrive: `timeout` bounds the whole attempt, a server that sends
 * headers and then trickles its body included.
 */
export class Attempt {
  readonly #controller = new AbortController();
  readonly #callSignal: AbortSignal;
  readonly #timer: ReturnType<typeof setTimeout>;
  #timedOut = false;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly timeout: number,
    callSignal: AbortSignal,
  ) {
    this.#callSignal = callSignal;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort();
    }, delay(timeout));
    // A request in flight keeps the process alive already; the timer alone must not.
    (this.#timer as { unref?: () => void }).unref?.();
    callSignal.addEventListener("abort", this, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The call's signal fired (this object is its listener, which saves a closure per attempt). */
  handleEvent(): void {
    this.#controller.abort(this.#callSignal.reason);
  }

  /** The attempt is over: its body was read, cancelled or failed. */
  done(): void {
    clearTimeout(this.#timer);
    this.#callSignal.removeEventListener("abort", this);
  }

  /**
   * The typed error for an attempt that failed: `AbortError` when the caller aborted, `TimeoutError`
   * when its time was up, else `ConnectionError` (while connecting, or while `reading` the body).
   */
  failure(cause: unknown, reading = false): CourierError {
    const path = pathOf(this.url);
    const request = { method: this.method, path };
    if (this.#callSignal.aborted) {
      return new AbortError(messages.aborted(this.method, path), { cause, request });
    }
    if (this.#timedOut) {
      return new TimeoutError(messages.timeout(this.method, path, this.timeout), { cause, request });
    }
    const message = reading ? messages.connectionLost(this.method, path) : messages.connection(this.method, path);
    return new ConnectionError(message, { cause, request });
  }
}
