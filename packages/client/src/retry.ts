/** When and how long to retry. */
import { parseRetryAfter } from "@courier-ts/core/internal";

/** Backoff tuning (`retry` option of `createCourierClient`). */
export interface RetryPolicy {
  /** Attempts after the first. Default 2. */
  maxRetries: number;
  /** First backoff in ms. Default 500. */
  initialDelayMs: number;
  /** Backoff cap in ms. Default 8000. */
  maxDelayMs: number;
  /** A server-requested wait above this (ms) is ignored in favour of the backoff. Default 60000. */
  maxRetryAfterMs: number;
}

/** The default backoff (`maxRetries` is the client's own `maxRetries` default). */
export const DEFAULT_RETRY_POLICY: Readonly<Omit<RetryPolicy, "maxRetries">> = {
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Whether a response is worth another attempt: 408, 409 (lock conflict), 429 and 5xx. Never
 * 400/401/403/404/422. A server can force the decision with `x-should-retry: true|false`.
 */
export function isRetryable({ status, headers }: Response): boolean {
  const forced = headers.get("x-should-retry");
  return (
    forced === "true" || (forced !== "false" && (status === 408 || status === 409 || status === 429 || status >= 500))
  );
}

/**
 * Wait before retry number `retry` (0-based): the server's `Retry-After`/`retry-after-ms` when present
 * and reasonable, else `min(initial * 2^retry, max)` minus up to 25% jitter.
 */
export function retryDelay(
  retry: number,
  headers: Headers | undefined,
  policy: Pick<RetryPolicy, "initialDelayMs" | "maxDelayMs" | "maxRetryAfterMs">,
  random: () => number = Math.random,
): number {
  const requested = parseRetryAfter(headers);
  if (requested !== undefined && requested <= policy.maxRetryAfterMs) {
    return requested;
  }
  const backoff = Math.min(policy.initialDelayMs * 2 ** retry, policy.maxDelayMs);
  return backoff * (1 - random() * 0.25);
}
