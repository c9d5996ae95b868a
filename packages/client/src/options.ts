import type { CourierRequestOptions, ParseAs } from "@courier-ts/core";
import type { RetryPolicy } from "./retry.js";

export type { CallHeaders, CallOptions, CourierRequestOptions, ParseAs } from "@courier-ts/core";

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

/** Options of {@link createCourierClient}. */
export interface CourierClientOptions extends Omit<CourierRequestOptions, "idempotencyKey" | "signal"> {
  /**
   * Your Courier API key. Defaults to `process.env.COURIER_API_KEY`. Pass `null` to send no
   * `Authorization` header (e.g. when calling your own backend proxy from a browser).
   */
  apiKey?: string | null;
  /**
   * Defaults to `process.env.COURIER_BASE_URL`, then `https://api.courier.com`. A relative URL (your own
   * proxy, `/api/courier`) only works in a browser; elsewhere it throws at creation.
   */
  baseUrl?: string;
  /**
   * A custom `fetch` (tests, proxies, instrumentation), called once per attempt as `fetch(url, init)`.
   * Defaults to `globalThis.fetch`, looked up per call.
   */
  fetch?: FetchLike;
  /** Headers added to every request. */
  headers?: Record<string, string>;
  /** The largest response body read, in bytes; a larger one fails with `response_too_large`. Default 8 MiB. */
  maxResponseBytes?: number;
  /** Backoff tuning; `maxRetries` above wins over `retry.maxRetries`. */
  retry?: Partial<RetryPolicy>;
  /** Called once per attempt with method, path, status, attempt and duration. */
  logger?: CourierLogger;
}

/** Any fetch-compatible function. The client calls it as `fetch(url, init)`. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A call's `params`, untyped: what the middleware sees at run time. */
export interface CallParams {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  cookie?: Record<string, unknown>;
}

/**
 * What every middleware callback receives: openapi-fetch's middleware context, written out without its
 * generic types (which cost a consumer's type-check many times more).
 */
export interface MiddlewareContext {
  /** The request about to be sent. `onRequest` may change its headers in place or return a new one. */
  request: Request;
  /** The path template, e.g. `/profiles/{user_id}`. */
  readonly schemaPath: string;
  /** The call's `params`. */
  readonly params: CallParams;
  /** A random id, the same for one call's callbacks. */
  readonly id: string;
  /** The options the call runs with, after the client's defaults and the call's own init are merged. */
  readonly options: {
    /** The API origin, e.g. `https://api.courier.com`. */
    baseUrl: string;
    /** How the response body is read: `json`, `text`, `blob`, `arrayBuffer` or `stream`. */
    parseAs: ParseAs;
    /** The client's `fetch`, with its timeouts, retries and `Idempotency-Key`. */
    fetch: (request: Request) => Promise<Response>;
    /** Fills the `{name}` parameters of the path template, each as exactly one URL segment. */
    pathSerializer: (path: string, params: Record<string, unknown>) => string;
    /** Turns the call's `params.query` into a query string. */
    querySerializer: (query: Record<string, unknown>) => string;
    /** Turns the call's `body` into what `fetch` sends (JSON by default). */
    bodySerializer: (body: unknown) => BodyInit | undefined;
  };
}

/** What a middleware callback may return: `T`, nothing, or a promise of either. */
// biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing has the return type `void`.
type Returns<T> = T | void | undefined | Promise<T | void | undefined>;

/**
 * openapi-fetch middleware. It runs once per call, around all of the call's attempts: `onRequest` (in
 * order) before the first attempt, then `onError` (in reverse order) if the call failed without a
 * response, else `onResponse` (in reverse order) with the final response.
 *
 * @example
 * ```ts
 * courier.use({
 *   onRequest({ request }) { request.headers.set("x-trace-id", traceId()); },
 *   onResponse({ response }) { metrics.count(response.status); },
 * });
 * ```
 */
export interface Middleware {
  /** Return a `Request` to replace the request, a `Response` to answer without sending, or nothing. */
  onRequest?(context: MiddlewareContext): Returns<Request | Response>;
  /** Return a `Response` to replace the final response, or nothing. */
  onResponse?(context: MiddlewareContext & { response: Response }): Returns<Response>;
  /** Return a `Response` to recover, an `Error` to throw instead, or nothing to rethrow. */
  onError?(context: MiddlewareContext & { error: unknown }): Returns<Response | Error>;
}
