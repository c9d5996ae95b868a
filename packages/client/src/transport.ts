/**
 * The client's request path: URL, headers and body, middleware, the attempt loop (timeouts, retries with
 * backoff, idempotency) and response parsing, in one pass with no intermediate `Request` unless a
 * middleware asks for one. It keeps openapi-fetch's contract (`{ data, error, response }`, `parseAs`,
 * middleware with `onRequest` / `onResponse` / `onError`) at a fraction of its per-call cost.
 */
import {
  AbortError,
  ConnectionError,
  CourierError,
  createIdempotencyKey,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  IDEMPOTENCY_HEADER,
  isRetryableStatus,
  messages,
  type RequestInfo,
  type RetryPolicy,
  retryDelay,
  TimeoutError,
} from "@courier-ts/core";
import type {
  CallParams,
  CourierLogger,
  CourierRequestOptions,
  FetchLike,
  HeadersInit,
  Middleware,
  MiddlewareContext,
  ParseAs,
} from "./options.js";
import { dedicatedSignal, TimeoutSignals } from "./timeouts.js";
import { courierPathSerializer, courierQuerySerializer } from "./url.js";

/** What a method call takes at run time (the typed shape comes from the generated call maps, see operationTypes.ts). */
export interface CallOptions
  extends CourierRequestOptions,
    Omit<RequestInit, "body" | "headers" | "method" | "signal"> {
  params?: CallParams;
  body?: unknown;
  headers?: HeadersInit;
  baseUrl?: string;
  parseAs?: ParseAs;
}

/** openapi-fetch's result: `data` for 2xx, `error` (the parsed body) otherwise, and the `response`. */
export interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

export interface TransportConfig {
  baseUrl: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  fetch: FetchLike;
  maxRetries?: number;
  timeout?: number;
  retry?: Partial<RetryPolicy>;
  logger?: CourierLogger;
}

const IDEMPOTENCY_KEY = IDEMPOTENCY_HEADER.toLowerCase();

/** Which request a non-2xx response answered, for `unwrap()`'s error. */
const requestInfo = new WeakMap<Response, RequestInfo>();

/** The method and path of the request a response answered (kept for error responses only). */
export function requestInfoOf(response: Response): RequestInfo | undefined {
  return requestInfo.get(response);
}

/** Merges header sources into `target` (lower-case names); `null`/`undefined` removes a header. */
function mergeHeaders(target: Record<string, string>, source: HeadersInit | Record<string, unknown> | undefined): void {
  if (!source) {
    return;
  }
  if (source instanceof Headers || Array.isArray(source)) {
    for (const [name, value] of source instanceof Headers ? source.entries() : source) {
      target[name.toLowerCase()] = value;
    }
    return;
  }
  for (const name in source) {
    const value = (source as Record<string, unknown>)[name];
    const key = name.toLowerCase();
    if (value === undefined || value === null) {
      delete target[key];
    } else {
      target[key] = Array.isArray(value) ? value.join(", ") : String(value);
    }
  }
}

function serializeBody(body: unknown): BodyInit | undefined {
  if (body === undefined) {
    return undefined;
  }
  if (
    typeof body === "string" ||
    (typeof FormData !== "undefined" && body instanceof FormData) ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body)
  ) {
    return body as BodyInit;
  }
  return JSON.stringify(body);
}

/** A base for relative URLs (a browser app calling its own proxy). */
function pathOf(url: string): string {
  return new URL(url, "http://relative.invalid").pathname;
}

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

async function parse(response: Response, method: string, parseAs: ParseAs): Promise<RawResult> {
  const headers = response.headers;
  const length = headers.get("content-length");
  if (
    response.status === 204 ||
    method === "HEAD" ||
    (length === "0" && !headers.get("transfer-encoding")?.includes("chunked"))
  ) {
    return response.ok ? { data: undefined, response } : { error: undefined, response };
  }
  if (response.ok) {
    if (parseAs === "stream") {
      return { data: response.body, response };
    }
    if (parseAs !== "json") {
      return { data: await response[parseAs](), response };
    }
    const text = await response.text();
    try {
      return { data: text ? JSON.parse(text) : undefined, response };
    } catch (cause) {
      throw new CourierError(messages.invalidJson(response.status), { code: "invalid_response", cause });
    }
  }
  const text = await response.text();
  let error: unknown = text;
  try {
    error = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { error, response };
}

/**
 * Builds the function every method calls. One call: build the URL and headers, serialize the body,
 * run `onRequest` middleware (only then is a `Request` made), send with retries, run `onError` or
 * `onResponse` middleware, then parse.
 */
export function createTransport(config: TransportConfig, middleware: Middleware[]) {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
  const clientMaxRetries = config.maxRetries ?? config.retry?.maxRetries ?? DEFAULT_MAX_RETRIES;
  const clientTimeout = config.timeout ?? DEFAULT_TIMEOUT_MS;
  const logger = config.logger;
  const fetchFn = config.fetch;
  const timeouts = new TimeoutSignals();

  /**
   * The typed error for a request that got no usable response: `AbortError` when the caller aborted,
   * `TimeoutError` when the attempt's time was up, else `ConnectionError`.
   */
  function failure(cause: unknown, method: string, url: string, options: CallOptions, timedOut: boolean): CourierError {
    const path = pathOf(url);
    const request = { method, path };
    if (options.signal?.aborted) {
      return new AbortError(messages.aborted(method, path), { cause, request });
    }
    return timedOut
      ? new TimeoutError(messages.timeout(method, path, options.timeout ?? clientTimeout), { cause, request })
      : new ConnectionError(messages.connection(method, path), { cause, request });
  }

  /** Sends one request, retrying as the policy allows; returns the final response or throws. */
  async function send(
    method: string,
    url: string,
    headers: Record<string, string> | Headers,
    body: BodyInit | undefined,
    rest: RequestInit | undefined,
    options: CallOptions,
  ): Promise<Response> {
    const maxRetries = options.maxRetries ?? clientMaxRetries;
    const timeout = options.timeout ?? clientTimeout;
    const userSignal = options.signal;
    for (let attempt = 1; ; attempt++) {
      if (userSignal?.aborted) {
        throw failure(userSignal.reason, method, url, options, false);
      }
      const started = logger ? performance.now() : 0;
      // A shared timeout signal fires for everyone who has it; a stream read later must not see it fire.
      const attemptSignal =
        userSignal || options.parseAs === "stream" ? dedicatedSignal(timeout, userSignal) : timeouts.shared(timeout);
      let error: CourierError | undefined;
      let response: Response | undefined;
      try {
        response = await fetchFn(url, { ...rest, method, headers, body, signal: attemptSignal.signal });
      } catch (cause) {
        error = failure(cause, method, url, options, attemptSignal.timedOut());
        if (error instanceof AbortError) {
          throw error;
        }
      } finally {
        attemptSignal.done();
      }
      const retry =
        attempt <= maxRetries && (error !== undefined || isRetryableStatus(response?.status ?? 0, response?.headers));
      logger?.({
        method,
        path: pathOf(url),
        attempt,
        status: response?.status,
        durationMs: performance.now() - started,
        outcome: retry ? "retry" : "done",
        error: error?.name,
      });
      if (!retry) {
        if (error) {
          throw error;
        }
        return response as Response;
      }
      // Free the connection before waiting.
      await response?.body?.cancel().catch(() => {});
      try {
        await sleep(retryDelay(attempt - 1, response?.headers, policy), userSignal);
      } catch (cause) {
        // Only the caller's signal ends a backoff early.
        throw failure(cause, method, url, options, false);
      }
    }
  }

  /** Runs the call through user middleware (slow path: real `Request` objects). */
  async function sendWithMiddleware(
    method: string,
    schemaPath: string,
    url: string,
    headers: Record<string, string>,
    body: BodyInit | undefined,
    rest: RequestInit,
    options: CallOptions,
    baseUrl: string,
  ): Promise<Response> {
    const original = new Request(url, { ...rest, method, headers, body });
    const context: MiddlewareContext = {
      request: original,
      schemaPath,
      params: options.params ?? {},
      id: Math.random().toString(36).slice(2, 11),
      options: {
        baseUrl,
        parseAs: options.parseAs ?? "json",
        fetch: fetchFn,
        pathSerializer: courierPathSerializer,
        querySerializer: courierQuerySerializer,
        bodySerializer: serializeBody,
      },
    };
    const chain = [...middleware];
    for (const m of chain) {
      const result = await m.onRequest?.(context);
      if (result instanceof Response) {
        return result;
      }
      if (result instanceof Request) {
        context.request = result;
      } else if (result) {
        throw new TypeError("onRequest: must return a Request, a Response or nothing");
      }
    }
    const request = context.request;
    // A replaced request is read once, so that its body can be sent again on a retry.
    const sendBody = request === original ? body : request.body ? await request.arrayBuffer() : undefined;
    let response: Response | undefined;
    try {
      response = await send(
        request.method,
        request.url,
        request.headers,
        sendBody,
        { ...rest, redirect: request.redirect },
        options,
      );
    } catch (error) {
      let failure: unknown = error;
      for (let i = chain.length - 1; i >= 0; i--) {
        const result = await chain[i]?.onError?.({ ...context, error: failure });
        if (result instanceof Response) {
          response = result;
          break;
        }
        if (result instanceof Error) {
          failure = result;
        } else if (result) {
          throw new TypeError("onError: must return a Response, an Error or nothing");
        }
      }
      if (!response) {
        throw failure;
      }
      return response;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const result: unknown = await chain[i]?.onResponse?.({ ...context, response });
      if (result instanceof Response) {
        response = result;
      } else if (result) {
        throw new TypeError("onResponse: must return a Response or nothing");
      }
    }
    return response;
  }

  return async function call(method: string, schemaPath: string, options: CallOptions = {}): Promise<RawResult> {
    const {
      params,
      body,
      headers: callHeaders,
      baseUrl: callBaseUrl,
      parseAs = "json",
      maxRetries: _maxRetries,
      timeout: _timeout,
      idempotencyKey,
      signal: _signal,
      ...rest
    } = options;
    const baseUrl = callBaseUrl === undefined ? config.baseUrl : callBaseUrl.replace(/\/+$/, "");
    let url = baseUrl + (schemaPath.includes("{") ? courierPathSerializer(schemaPath, params?.path) : schemaPath);
    if (params?.query) {
      const query = courierQuerySerializer(params.query);
      if (query) {
        url += `?${query}`;
      }
    }
    const headers = { ...config.headers };
    mergeHeaders(headers, callHeaders);
    mergeHeaders(headers, params?.header);
    const serialized = serializeBody(body);
    if (typeof serialized === "string" && typeof body !== "string" && headers["content-type"] === undefined) {
      headers["content-type"] = "application/json";
    }
    if (method === "POST" && headers[IDEMPOTENCY_KEY] === undefined) {
      headers[IDEMPOTENCY_KEY] = idempotencyKey ?? createIdempotencyKey();
    }
    const response =
      middleware.length === 0
        ? await send(method, url, headers, serialized, rest, options)
        : await sendWithMiddleware(method, schemaPath, url, headers, serialized, rest, options, baseUrl);
    if (!response.ok) {
      requestInfo.set(response, { method, path: pathOf(url) });
    }
    try {
      return await parse(response, method, parseAs);
    } catch (cause) {
      if (cause instanceof CourierError) {
        throw cause;
      }
      // The body failed mid-read: the caller aborted, the attempt's (shared) deadline passed, or the
      // connection dropped. The request was answered, so this is not retried.
      throw failure(cause, method, url, options, (cause as { name?: unknown })?.name === "AbortError");
    }
  };
}
