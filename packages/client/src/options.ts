import type { RetryPolicy } from "@courier-ts/core";

/** One line of the optional request log. Never holds headers, bodies or the API key. */
export interface CourierLogEvent {
  method: string;
  /** URL path without the query string. */
  path: string;
  /** 1 for the first try. */
  attempt: number;
  /** Set when a response arrived. */
  status?: number;
  durationMs: number;
  /** `retry` when another attempt follows, `done` when this was the last. */
  outcome: "retry" | "done";
  /** Set when no response arrived: the error's name (`ConnectionError`, `TimeoutError`, ...). */
  error?: string;
}

/** Receives one event per attempt. */
export type CourierLogger = (event: CourierLogEvent) => void;

/** Options that can be set per client and overridden per call. */
export interface CourierRequestOptions {
  /** Attempts after the first for retryable failures. Default 2. */
  maxRetries?: number;
  /** Per-attempt timeout in ms. Default 60000. */
  timeout?: number;
  /** The `Idempotency-Key` for a POST; generated when absent and reused across that call's retries. */
  idempotencyKey?: string;
  /** Stops the call and any pending retry at once. */
  signal?: AbortSignal | null;
}

/** Options of {@link createCourierClient}. */
export interface CourierClientOptions extends Omit<CourierRequestOptions, "idempotencyKey" | "signal"> {
  /**
   * Your Courier API key. Defaults to `process.env.COURIER_API_KEY`. Pass `null` to send no
   * `Authorization` header (e.g. when calling your own backend proxy from a browser).
   */
  apiKey?: string | null;
  /** Defaults to `process.env.COURIER_BASE_URL`, then `https://api.courier.com`. */
  baseUrl?: string;
  /** A custom `fetch` (tests, proxies, instrumentation). Defaults to `globalThis.fetch`. */
  fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Headers added to every request. */
  headers?: Record<string, string>;
  /** Backoff tuning; `maxRetries` above wins over `retry.maxRetries`. */
  retry?: Partial<RetryPolicy>;
  /** Called once per attempt with method, path, status, attempt and duration. */
  logger?: CourierLogger;
}
