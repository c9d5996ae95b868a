/**
 * Per-attempt timeouts.
 *
 * Every attempt needs an `AbortSignal` that fires when its time is up. Making one costs about 3 µs in
 * Node 20 (an EventTarget with transfer support), an eighth of a whole call over a stub `fetch`, so
 * attempts that start within the same short window and have the same timeout share one: its timer fires
 * at the window's start + timeout + window. Each attempt so gets between `timeout` and `timeout + window`
 * ms, never less. The window is a tenth of the timeout, at most 10 ms.
 *
 * A shared signal is only used when nothing else needs to abort the attempt: a call with its own
 * `signal` gets a dedicated controller that follows it.
 */

/** The signal of one attempt, and what to do when the attempt is over. */
export interface AttemptSignal {
  readonly signal: AbortSignal;
  /** True when the signal fired because the attempt's time was up. */
  timedOut(): boolean;
  /** The attempt is over (response headers arrived, or it failed). */
  done(): void;
}

interface Slot extends AttemptSignal {
  closesAt: number;
  pending: number;
  timer: ReturnType<typeof setTimeout>;
}

/** The longest delay a timer takes (2^31 - 1 ms, about 24.8 days); longer ones would fire at once. */
const MAX_DELAY = 2_147_483_647;

/** A timeout as a timer delay: at least 0, and `Infinity` (or anything too long) as the longest delay. */
function delay(timeout: number): number {
  return Number.isNaN(timeout) ? MAX_DELAY : Math.min(Math.max(0, timeout), MAX_DELAY);
}

function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

/** Hands out shared timeout signals; one per client. */
export class TimeoutSignals {
  readonly #open = new Map<number, Slot>();

  /** A signal that fires after at least `timeout` ms; call `done()` when the attempt is over. */
  shared(timeout: number): AttemptSignal {
    const now = Date.now();
    let slot = this.#open.get(timeout);
    if (slot === undefined || now >= slot.closesAt) {
      if (slot !== undefined && slot.pending === 0) {
        clearTimeout(slot.timer);
      }
      slot = this.#slot(timeout, now);
      this.#open.set(timeout, slot);
    }
    slot.pending++;
    return slot;
  }

  #slot(timeout: number, now: number): Slot {
    const window = Math.max(1, Math.min(10, Math.floor(timeout / 10)));
    const controller = new AbortController();
    const open = this.#open;
    const slot: Slot = {
      signal: controller.signal,
      closesAt: now + window,
      pending: 0,
      // The timer never keeps a process alive on its own: a request in flight does that already.
      timer: setTimeout(() => controller.abort(), delay(timeout + window)),
      timedOut: () => controller.signal.aborted,
      done() {
        slot.pending--;
        // Closed and idle: nothing left for the timer to abort.
        if (slot.pending === 0 && (Date.now() >= slot.closesAt || open.get(timeout) !== slot)) {
          clearTimeout(slot.timer);
          if (open.get(timeout) === slot) {
            open.delete(timeout);
          }
        }
      },
    };
    unref(slot.timer);
    return slot;
  }
}

/** A signal for one attempt alone, which also fires when `userSignal` does. */
export function dedicatedSignal(timeout: number, userSignal: AbortSignal | null | undefined): AttemptSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, delay(timeout));
  const onAbort = () => controller.abort(userSignal?.reason);
  userSignal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done() {
      clearTimeout(timer);
      userSignal?.removeEventListener("abort", onAbort);
    },
  };
}
