/**
 * The `fetch` the client gives openapi-fetch: everything that makes a call reliable happens here, inside
 * the one `fetch` call that openapi-fetch makes per call (so its middleware runs once, around all of it):
 * retries with backoff, `Retry-After`, `x-should-retry`, a timeout per attempt that covers the body,
 * the caller's `signal`, one `Idempotency-Key` per call, no redirects, and a cap on the response size.
 */
import { AbortError, type CourierError, type CourierRequestInfo, createIdempotencyKey } from "@courier-ts/core";
import { failure, pathOf, startAttempt } from "./attempt.js";
import { guardBody } from "./body.js";
import { IDEMPOTENCY_HEADER } from "./constants.js";
import { ABORTED, redirected } from "./messages.js";
import type { CourierLogger, CourierRequestOptions, FetchLike } from "./options.js";
import { isRetryableStatus, type RetryPolicy, retryDelay } from "./retry.js";

/** Where a request made by `CourierRequest` keeps its string body. */
const BODY = Symbol();

/**
 * Makes openapi-fetch's `Request` for a call and keeps its body if it is a string (JSON, as the client
 * sends), so that every attempt can send it again without reading the request's body stream back.
 */
export function CourierRequest(input: string, init: RequestInit): Request {
  const request = new Request(input, init);
  if (typeof init.body === "string") {
    (request as Request & { [BODY]?: string })[BODY] = init.body;
  }
  return request;
}

/** Which request a non-2xx response answered, for `unwrap()`'s error. */
const requestInfo = new WeakMap<Response, CourierRequestInfo>();

/** The method and path of the request a response answered (kept for error responses only). */
export function requestInfoOf(response: Response): CourierRequestInfo | undefined {
  return requestInfo.get(response);
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

/** Waits `ms`, or rejects when the call's `signal` fires (its listeners go with the call's request). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.aborted ? stop() : signal.addEventListener("abort", stop);
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

/** Builds the client's `fetch`. It takes the `Request` openapi-fetch made for a call. */
export function createCourierFetch(config: CourierFetchConfig) {
  const { logger, policy } = config;
  // openapi-fetch checks `result instanceof Request` against the `Request` it was given. Set here, not
  // at import: in Node, the first use of the global `Request` loads the whole of its fetch (~15 ms).
  CourierRequest.prototype = Request.prototype;

  return async function courierFetch(request: Request): Promise<Response> {
    // Per-call options: openapi-fetch copies the init's unknown fields onto the request.
    const options = request as Request & CourierRequestOptions;
    const maxRetries = options.maxRetries ?? config.maxRetries;
    const timeout = options.timeout ?? config.timeout;
    const { method, url, headers } = request;
    const callSignal = request.signal;
    if (method === "POST" && !headers.has(IDEMPOTENCY_HEADER)) {
      headers.set(IDEMPOTENCY_HEADER, options.idempotencyKey ?? createIdempotencyKey());
    }
    // Kept (or, in a request replaced by middleware, read) once, so that every attempt can send it again.
    const body =
      (request as Request & { [BODY]?: string })[BODY] ?? (request.body ? await request.arrayBuffer() : undefined);
    for (let attemptNo = 1; ; attemptNo++) {
      const attempt = startAttempt(method, url, timeout, callSignal);
      if (callSignal.aborted) {
        attempt.done();
        throw attempt.failure(callSignal.reason);
      }
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
          credentials: request.credentials,
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
      const retry =
        attemptNo <= maxRetries &&
        (error !== undefined || isRetryableStatus((response as Response).status, (response as Response).headers));
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
          requestInfo.set(guarded, { method, path: pathOf(url) });
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
