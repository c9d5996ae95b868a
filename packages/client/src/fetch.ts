/**
 * The `fetch` the client gives openapi-fetch: everything that makes a call reliable happens here, inside
 * the one `fetch` call that openapi-fetch makes per call (so its middleware runs once, around all of it):
 * retries with backoff, `Retry-After`, `x-should-retry`, a timeout per attempt that covers the body,
 * the caller's `signal`, one `Idempotency-Key` per call, no redirects, and a cap on the response size.
 */
import {
  AbortError,
  type CourierError,
  type CourierRequestInfo,
  createIdempotencyKey,
  InvalidRequestError,
} from "@courier-ts/core";
import { failure, pathOf, startAttempt } from "./attempt.js";
import { guardBody } from "./body.js";
import { IDEMPOTENCY_HEADER } from "./constants.js";
import { ABORTED, invalidPath, redirected } from "./messages.js";
import type { CourierLogger, CourierRequestOptions, FetchLike } from "./options.js";
import { isRetryable, type RetryPolicy, retryDelay } from "./retry.js";

/**
 * What openapi-fetch hands the client's `fetch` for a call: its `Request`, or, when no middleware will
 * see the request, the plain record `createCourierRequest` makes instead (the same fields, including the
 * call's own options, which openapi-fetch copies onto it).
 */
export type CallRequest = Pick<Request, "url" | "method" | "headers"> & {
  body?: BodyInit | null;
  signal?: AbortSignal | null;
} & CourierRequestOptions;

/**
 * A path parameter openapi-fetch could not fill as one segment: left as `{name}` (missing), or an empty,
 * `.` or `..` segment, which would call another endpoint than the one named (URL parsers collapse dot
 * segments). Every other value is one segment: `encodeURIComponent` escapes `/`, `?` and `#` (and
 * the query's values, so that this can read the whole URL).
 */
const UNFILLED = /[{}]|[^:/]\/\.{0,2}(?=[/?]|$)/;

/**
 * Makes the `Request` openapi-fetch asks for (it calls this with `new`). A `Request` costs about 15 µs
 * in Node, and our `fetch` only reads its URL, method, headers and body before making the request it
 * sends: so unless `hasMiddleware()` (middleware gets the real thing), it returns the plain record of
 * what it was given, whose string body every attempt can send again as it is.
 */
export function createCourierRequest(hasMiddleware: () => boolean) {
  function CourierRequest(url: string, init: RequestInit): CallRequest {
    if (UNFILLED.test(url)) {
      throw new InvalidRequestError(invalidPath(pathOf(url)));
    }
    return hasMiddleware() ? new Request(url, init) : ({ ...init, url } as CallRequest);
  }
  // openapi-fetch checks `result instanceof Request` against the `Request` it was given. Set when a
  // client is made, not at import: in Node, the first use of `Request` loads the whole of its fetch.
  CourierRequest.prototype = Request.prototype;
  return CourierRequest as unknown as typeof Request;
}

/** Which request a non-2xx response answered, for `unwrap()`'s error. */
const REQUEST = Symbol();

type Answered = Response & { [REQUEST]?: CourierRequestInfo };

/** The method and path of the request a response answered (kept for error responses only). */
export function requestInfoOf(response: Response): CourierRequestInfo | undefined {
  return (response as Answered)[REQUEST];
}

function isRedirect(response: Response): boolean {
  // A browser hides a redirect's status and location behind an "opaqueredirect" response.
  return (
    (response.status >= 300 && response.status < 400 && response.status !== 304) || response.type === "opaqueredirect"
  );
}

/** The redirect target without its query string, which may hold a secret. */
function safeLocation(response: Response): string {
  return response.headers.get("location")?.split("?")[0] ?? "";
}

/** Waits `ms`, or rejects when the call's `signal` fires. */
function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    // The caller's signal may outlive many calls: the listener goes when the wait ends.
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.aborted ? stop() : signal?.addEventListener("abort", stop);
  });
}

export interface CourierFetchConfig {
  fetch: FetchLike;
  maxRetries: number;
  timeout: number;
  maxResponseBytes: number;
  policy: Omit<RetryPolicy, "maxRetries">;
  logger: CourierLogger | undefined;
}

/**
 * Builds the client's `fetch`. It takes what `createCourierRequest` made for a call: a `Request`, or its
 * plain record.
 */
export function createCourierFetch(config: CourierFetchConfig) {
  const { logger, policy } = config;

  return async function courierFetch(request: CallRequest): Promise<Response> {
    // Per-call options: openapi-fetch copies the init's unknown fields onto the request.
    const maxRetries = request.maxRetries ?? config.maxRetries;
    const timeout = request.timeout ?? config.timeout;
    const { method, url, headers } = request;
    const callSignal = request.signal;
    if (method === "POST" && !headers.has(IDEMPOTENCY_HEADER)) {
      headers.set(IDEMPOTENCY_HEADER, request.idempotencyKey ?? createIdempotencyKey());
    }
    // A real `Request`'s body is a stream: read once, so that every attempt can send it again.
    const body = request instanceof Request ? (request.body ? await request.arrayBuffer() : undefined) : request.body;
    for (let attemptNo = 1; ; attemptNo++) {
      const attempt = startAttempt(method, url, timeout, callSignal);
      const started = logger ? performance.now() : 0;
      let response: Response | undefined;
      let error: CourierError | undefined;
      try {
        response = await config.fetch(url, {
          method,
          headers,
          body,
          signal: attempt.signal,
          redirect: "manual",
        });
      } catch (cause) {
        attempt.done();
        error = attempt.failure(cause);
        if (error instanceof AbortError) {
          throw error;
        }
      }
      if (response && isRedirect(response)) {
        attempt.done();
        response.body?.cancel().catch(() => {});
        throw attempt.fail(redirected(response.status, safeLocation(response)), "redirect");
      }
      const retry = attemptNo <= maxRetries && (error !== undefined || isRetryable(response as Response));
      logger?.({
        method,
        path: pathOf(url),
        attempt: attemptNo,
        status: response?.status,
        durationMs: performance.now() - started,
        outcome: retry ? "retry" : "done",
        error: error?.name,
      });
      if (!retry) {
        if (error) {
          throw error;
        }
        const guarded = guardBody(response as Response, attempt, config.maxResponseBytes);
        if (!guarded.ok) {
          (guarded as Answered)[REQUEST] = { method, path: pathOf(url) };
        }
        return guarded;
      }
      // Free the connection before waiting.
      attempt.done();
      await response?.body?.cancel().catch(() => {});
      try {
        await sleep(retryDelay(attemptNo - 1, response?.headers, policy), callSignal);
      } catch (cause) {
        // Only the caller's signal ends a backoff early.
        throw failure(AbortError, method, url, ABORTED, cause);
      }
    }
  };
}
