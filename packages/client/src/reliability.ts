import {
  AbortError,
  ConnectionError,
  type CourierError,
  createIdempotencyKey,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  IDEMPOTENCY_HEADER,
  isRetryableStatus,
  messages,
  type RetryPolicy,
  retryDelay,
  TimeoutError,
} from "@courier-ts/core";
import type { Middleware } from "openapi-fetch";
import type { CourierLogger, CourierRequestOptions } from "./options.js";

/** Where the middleware records which request a response answers, for error messages. */
export const REQUEST_INFO = Symbol.for("courier-ts.request-info");

/**
 * The request object openapi-fetch hands to middleware (it lets a client choose its `Request` class).
 * Building a WHATWG `Request` costs more than the loopback round trip of a small send, and the
 * reliability middleware would only take it apart again to resend it, so the client passes this light
 * stand-in: the same `url`, `method`, `headers` (a real `Headers`), `signal` and body accessors, and
 * `toRequest()` for middleware that needs a real `Request`. The serialized body is kept for retries.
 */
export class CourierRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | null;
  readonly redirect: RequestRedirect;
  readonly bodyInit: BodyInit | null | undefined;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.signal = init.signal ?? null;
    this.redirect = init.redirect ?? "follow";
    this.bodyInit = init.body;
  }

  /** A real `Request` with the same contents. */
  toRequest(): Request {
    return new Request(this.url, {
      method: this.method,
      headers: this.headers,
      body: this.bodyInit,
      signal: this.signal,
      redirect: this.redirect,
    });
  }

  clone(): Request {
    return this.toRequest();
  }

  text(): Promise<string> {
    return this.toRequest().text();
  }

  json(): Promise<unknown> {
    return this.toRequest().json();
  }
}

export interface ReliabilityOptions {
  maxRetries?: number;
  timeout?: number;
  retry?: Partial<RetryPolicy>;
  logger?: CourierLogger;
}

type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The client's reliability layer as an openapi-fetch middleware. Its `onRequest` performs the whole
 * call (attempts, per-attempt timeouts, backoff) and returns the final `Response`, so it must be the
 * last middleware; `createCourierClient` keeps it last.
 *
 * - Every POST carries an `Idempotency-Key`, made once per call and reused by its retries.
 * - Retries connection errors, timeouts, 408, 409, 429 and 5xx, honouring `Retry-After`.
 * - The caller's `signal` stops the call and any pending retry at once.
 */
export function reliabilityMiddleware(options: ReliabilityOptions = {}): Middleware {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const clientMaxRetries = options.maxRetries ?? options.retry?.maxRetries ?? DEFAULT_MAX_RETRIES;
  const clientTimeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const logger = options.logger;

  return {
    async onRequest({ request, options: fetchOptions }) {
      const call = request as unknown as CourierRequest & CourierRequestOptions;
      const maxRetries = call.maxRetries ?? clientMaxRetries;
      const timeout = call.timeout ?? clientTimeout;
      const userSignal = call.signal;
      const method = call.method;
      const url = call.url;
      let headers: Headers;
      let body: BodyInit | null | undefined;
      if (call instanceof CourierRequest) {
        // Our own per-call object: its headers are fresh, so they can be changed in place.
        headers = call.headers;
        body = call.bodyInit;
      } else {
        // A real Request from another middleware.
        headers = new Headers(request.headers);
        body = request.body ? await request.arrayBuffer() : undefined;
      }
      if (method === "POST" && !headers.has(IDEMPOTENCY_HEADER)) {
        headers.set(IDEMPOTENCY_HEADER, call.idempotencyKey ?? createIdempotencyKey());
      }
      // A base for relative URLs (a browser app calling its own proxy).
      const pathOf = () => new URL(url, "http://relative.invalid").pathname;
      const fetchFn = fetchOptions.fetch as unknown as FetchFn;

      for (let attempt = 1; ; attempt++) {
        if (userSignal?.aborted) {
          throw new AbortError(messages.aborted(method, pathOf()), {
            cause: userSignal.reason,
            request: { method, path: pathOf() },
          });
        }
        const started = logger ? performance.now() : 0;
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeout);
        const onAbort = () => controller.abort(userSignal?.reason);
        userSignal?.addEventListener("abort", onAbort, { once: true });
        const canRetry = attempt <= maxRetries;
        let failure: CourierError | undefined;
        let response: Response | undefined;
        try {
          response = await fetchFn(url, {
            method,
            headers,
            body,
            signal: controller.signal,
            redirect: request.redirect,
          });
        } catch (cause) {
          if (userSignal?.aborted) {
            throw new AbortError(messages.aborted(method, pathOf()), { cause, request: { method, path: pathOf() } });
          }
          const path = pathOf();
          failure = timedOut
            ? new TimeoutError(messages.timeout(method, path, timeout), { cause, request: { method, path } })
            : new ConnectionError(messages.connection(method, path), { cause, request: { method, path } });
        } finally {
          clearTimeout(timer);
          userSignal?.removeEventListener("abort", onAbort);
        }
        const retry =
          canRetry && (failure !== undefined || isRetryableStatus(response?.status ?? 0, response?.headers));
        logger?.({
          method,
          path: pathOf(),
          attempt,
          status: response?.status,
          durationMs: performance.now() - started,
          outcome: retry ? "retry" : "done",
          error: failure?.name,
        });
        if (!retry) {
          if (failure) {
            throw failure;
          }
          Object.defineProperty(response, REQUEST_INFO, {
            get: () => ({ method, path: pathOf() }),
          });
          return response;
        }
        // Free the connection before waiting.
        await response?.body?.cancel().catch(() => {});
        try {
          await sleep(retryDelay(attempt - 1, response?.headers, policy), userSignal);
        } catch (cause) {
          throw new AbortError(messages.aborted(method, pathOf()), { cause, request: { method, path: pathOf() } });
        }
      }
    },
  };
}
