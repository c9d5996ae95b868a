/**
 * The `fetch` the client gives openapi-fetch: everything that makes a call reliable happens here, inside
 * the one `fetch` call that openapi-fetch makes per call (so its middleware runs once, around all of it):
 * retries with backoff, `Retry-After`, `x-should-retry`, a timeout per attempt that covers the body,
 * the caller's `signal`, one `Idempotency-Key` per call, no redirects, and a cap on the response size.
 */
import { AbortError, CourierError, type CourierRequestInfo, createIdempotencyKey } from "@courier-ts/core";
import { Attempt, pathOf } from "./attempt.js";
import { guardBody } from "./body.js";
import { IDEMPOTENCY_HEADER } from "./constants.js";
import { messages } from "./messages.js";
import type { CourierLogger, CourierRequestOptions, FetchLike } from "./options.js";
import { isRetryableStatus, type RetryPolicy, retryDelay } from "./retry.js";

const BODY = Symbol("courier.body");

/**
 * The `Request` class openapi-fetch builds each call's request with. It keeps the serialized body as
 * given (a string for JSON), so that every attempt can send it again without reading the request's
 * one-shot body stream.
 */
export class CourierRequest extends Request {
  readonly [BODY]: BodyInit | null | undefined;
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    this[BODY] = init?.body;
  }

  /**
   * openapi-fetch checks a middleware's result with `instanceof` this class (its `Request` option):
   * any `Request` a middleware returns must pass.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof globalThis.Request;
  }
}

/** A body that can be sent once per attempt. */
function replayableBody(request: Request): BodyInit | undefined | Promise<ArrayBuffer> {
  const own = (request as Partial<CourierRequest>)[BODY];
  if (own !== undefined && own !== null && !(own instanceof ReadableStream)) {
    return own;
  }
  // A request that middleware replaced, or a stream body: read it once.
  return request.body ? request.arrayBuffer() : undefined;
}

/** Which request a non-2xx response answered, for `unwrap()`'s error. */
const requestInfo = new WeakMap<Response, CourierRequestInfo>();

/** The method and path of the request a response answered (kept for error responses only). */
export function requestInfoOf(response: Response): CourierRequestInfo | undefined {
  return requestInfo.get(response);
}

function isRedirect(response: Response): boolean {
  // A browser hides a redirect's status and location behind an "opaqueredirect" response.
  return (response.status >= 300 && response.status < 400 && response.status !== 304) || response.type === "opaqueredirect";
}

/** The redirect target without its query string or credentials, which may be secrets. */
function safeLocation(response: Response): string {
  const location = response.headers.get("location");
  if (!location) {
    return "";
  }
  try {
    const url = new URL(location, response.url || undefined);
    return `${url.origin}${url.pathname}`;
  } catch {
    return "";
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export interface CourierFetchConfig {
  fetch: FetchLike;
  maxRetries: number;
  timeout: number;
  maxResponseBytes: number;
  policy: RetryPolicy;
  logger: CourierLogger | undefined;
}

/** Builds the client's `fetch`. It takes the `Request` openapi-fetch made (or a URL and init). */
export function createCourierFetch(config: CourierFetchConfig) {
  const { logger, policy } = config;

  return async function courierFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request ? input : new Request(input, init);
    // Per-call options: openapi-fetch copies the init's unknown fields onto the request.
    const options = request as Request & CourierRequestOptions;
    const maxRetries = options.maxRetries ?? config.maxRetries;
    const timeout = options.timeout ?? config.timeout;
    const { method, url, headers } = request;
    const callSignal = request.signal;
    if (method === "POST" && !headers.has(IDEMPOTENCY_HEADER)) {
      headers.set(IDEMPOTENCY_HEADER, options.idempotencyKey ?? createIdempotencyKey());
    }
    let body = replayableBody(request);
    if (body instanceof Promise) {
      body = await body;
    }
    for (let attemptNo = 1; ; attemptNo++) {
      const attempt = new Attempt(method, url, timeout, callSignal);
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
          cache: request.cache,
          keepalive: request.keepalive,
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
        const path = pathOf(url);
        throw new CourierError(messages.redirect(method, path, response.status, safeLocation(response)), {
          code: "redirect",
          request: { method, path },
        });
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
        const path = pathOf(url);
        throw new AbortError(messages.aborted(method, path), { cause, request: { method, path } });
      }
    }
  };
}
