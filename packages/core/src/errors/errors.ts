import { parseRetryAfter } from "../retryAfter.js";
import type { ErrorBody } from "../types.js";
import { hasKind, KINDS } from "./guard.js";
import { messages } from "./messages.js";

/** Response headers that never belong in an error: they could carry credentials. */
const SECRET_HEADERS = new Set(["authorization", "cookie", "set-cookie", "proxy-authorization", "x-api-key"]);

/** What the client knew about the request that failed. No headers, no body: those may hold secrets. */
export interface CourierRequestInfo {
  method: string;
  /** Path without query string, e.g. `/profiles/user%201`. */
  path: string;
}

/**
 * The second argument of {@link CourierError}'s constructor. Only needed when you throw SDK errors yourself, for
 * example from a middleware or a test double.
 *
 * @example
 * ```ts
 * throw new CourierError("upstream refused", { code: "upstream_refused", request: { method: "POST", path: "/send" } });
 * ```
 */
export interface CourierErrorOptions {
  /** Overrides the class's default `code`. */
  code?: string;
  /** The underlying error, kept as the standard `Error.cause`. */
  cause?: unknown;
  /** Method and path of the request that failed. */
  request?: CourierRequestInfo;
}

/**
 * The base of every error the SDK throws. Its `name` is its class's `kind` (a minifier renames classes,
 * not strings), and its `code` defaults to its class's `code`.
 *
 * @example
 * ```ts
 * try { await unwrap(courier.POST("/send", { body })) } catch (e) { if (e instanceof CourierError) console.log(e.code) }
 * ```
 */
export class CourierError extends Error {
  static readonly kind: string = "CourierError";
  /** The `code` of this class's errors, unless the constructor is given another. */
  static readonly code: string = "courier_error";
  /** A stable machine-readable code, e.g. `api_error`, `connection_error`, `timeout`. */
  readonly code: string;
  /** The HTTP status, when a response was received. */
  declare readonly status: number | undefined;
  /** Courier's error `type` (e.g. `invalid_request_error`), when the body had one. */
  declare readonly type: string | undefined;
  /** Courier's request id, when the response carried one. */
  declare readonly requestId: string | undefined;
  /** Response headers, without anything that could carry a credential. */
  readonly headers: Record<string, string> = {};
  /** Method and path of the failed request. */
  readonly request: CourierRequestInfo | undefined;
  declare readonly [KINDS]: readonly string[];

  constructor(message: string, options: CourierErrorOptions = {}) {
    // Error reads `cause` alone from the options.
    super(message, options);
    const target = new.target as unknown as { kind: string; code: string };
    this.name = target.kind;
    this.code = options.code ?? target.code;
    this.request = options.request;
    // The kinds of the class chain, for `instanceof` across copies of this package.
    const kinds: string[] = [];
    for (let c: unknown = target; c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c as object, "kind")) {
        kinds.push((c as { kind: string }).kind);
      }
    }
    Object.defineProperty(this, KINDS, { value: kinds });
  }

  /**
   * `instanceof` that also recognises errors made by another copy of this class (apps can end up with
   * two copies or versions of this package): every error carries the kinds of its class chain, so
   * `e instanceof NotFoundError` holds whichever copy made `e`.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of `instanceof`.
    const Class = this as unknown as { kind: string };
    return (
      Function.prototype[Symbol.hasInstance].call(Class, value) ||
      (Object.hasOwn(Class, "kind") && hasKind(value, Class.kind))
    );
  }

  /** A loggable, credential-free view of the error. */
  toJSON(): Record<string, unknown> {
    const { name, code, message, status, type, requestId, request } = this;
    return { name, code, message, status, type, requestId, request };
  }
}

/**
 * What {@link CourierApiError}'s constructor takes: what the error response carried. The error's message is built
 * from the status and the body's `message`; headers that could hold a credential are dropped. To get the subclass
 * that matches the status (`NotFoundError`, ...), use `CourierApiError.from(response, body)` instead.
 *
 * @example
 * ```ts
 * const error = new CourierApiError({ status: 503, body: { message: "Try later" }, headers: { "retry-after": "5" } });
 * error.retryAfter; // 5000
 * ```
 */
export interface CourierApiErrorOptions extends CourierErrorOptions {
  /** The HTTP status of the response. */
  status: number;
  /** The parsed response body, if any. Courier's `type` and `message` are read from it. */
  body?: unknown;
  /** The response headers; the request id and `Retry-After` are read from them. */
  headers?: Headers | Record<string, string>;
}

function safeHeaders(headers: Headers | Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) {
    return out;
  }
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [key, value] of entries) {
    const name = key.toLowerCase();
    if (!SECRET_HEADERS.has(name)) {
      out[name] = value;
    }
  }
  return out;
}

function bodyField(body: unknown, field: keyof ErrorBody): string | undefined {
  if (typeof body === "object" && body !== null && typeof (body as Record<string, unknown>)[field] === "string") {
    return (body as Record<string, string>)[field];
  }
  return typeof body === "string" && field === "message" && body.length > 0 ? body.slice(0, 500) : undefined;
}

/**
 * Courier answered with a non-2xx status. `status`, `type`, `message` and `requestId` come from the
 * response; `body` is the parsed error body.
 */
export class CourierApiError extends CourierError {
  static override readonly kind: string = "CourierApiError";
  static override readonly code: string = "api_error";
  declare readonly status: number;
  /** The parsed response body (usually `{ message, type }`). */
  readonly body: unknown;
  /** How long the server asked us to wait, in ms (from `Retry-After` / `retry-after-ms`). */
  readonly retryAfter: number | undefined;

  constructor(options: CourierApiErrorOptions) {
    super(messages.apiError(options.status, bodyField(options.body, "message")), {
      code: options.code,
      cause: options.cause,
      request: options.request,
    });
    const headers = safeHeaders(options.headers);
    Object.assign(this, {
      status: options.status,
      type: bodyField(options.body, "type"),
      requestId:
        headers["x-request-id"] ?? headers["x-amzn-requestid"] ?? bodyField(options.body, "requestId" as never),
      headers,
    });
    this.body = options.body;
    // Read from the kept headers, whose names are lower case whichever form they were given in.
    this.retryAfter = parseRetryAfter({ get: (name) => headers[name] ?? null });
  }

  /**
   * Builds the subclass that matches the status (`NotFoundError` for 404, ...).
   *
   * @example
   * ```ts
   * const { error, response } = await courier.GET("/profiles/{user_id}", { params: { path: { user_id } } });
   * if (error) throw CourierApiError.from(response, error);
   * ```
   */
  static from(response: Response, body: unknown, request?: CourierRequestInfo): CourierApiError {
    const Ctor = errorClassForStatus(response.status);
    return new Ctor({ status: response.status, body, headers: response.headers, request });
  }
}

/** 400: the request was malformed or failed validation (`invalid_request_error`). */
export class BadRequestError extends CourierApiError {
  static override readonly kind = "BadRequestError";
}
/** 401: the API key is missing or wrong (`authentication_error`). */
export class AuthenticationError extends CourierApiError {
  static override readonly kind = "AuthenticationError";
}
/** 403: the key may not do this (`authorization_error`). */
export class PermissionDeniedError extends CourierApiError {
  static override readonly kind = "PermissionDeniedError";
}
/** 404: the resource does not exist. */
export class NotFoundError extends CourierApiError {
  static override readonly kind = "NotFoundError";
}
/** 409: a conflict, e.g. a message that can no longer be canceled, or a lock held by another request. */
export class ConflictError extends CourierApiError {
  static override readonly kind = "ConflictError";
}
/** 422: the request was understood but cannot be processed. */
export class UnprocessableEntityError extends CourierApiError {
  static override readonly kind = "UnprocessableEntityError";
}
/** 429: rate limited (`rate_limit_error`); see `retryAfter`. */
export class RateLimitError extends CourierApiError {
  static override readonly kind = "RateLimitError";
}
/** 5xx: Courier failed (`api_error`). */
export class InternalServerError extends CourierApiError {
  static override readonly kind = "InternalServerError";
}

/** No response: DNS, refused or reset connection. The request may or may not have been processed. */
export class ConnectionError extends CourierError {
  static override readonly kind: string = "ConnectionError";
  static override readonly code: string = "connection_error";
}

/** An attempt took longer than the client's `timeout`. */
export class TimeoutError extends ConnectionError {
  static override readonly kind = "TimeoutError";
  static override readonly code = "timeout";
}

/** The caller's `AbortSignal` fired; no further attempts were made. */
export class AbortError extends CourierError {
  static override readonly kind = "AbortError";
  static override readonly code = "aborted";
}

/** A request the SDK refused to send (e.g. an empty or `..` path parameter). */
export class InvalidRequestError extends CourierError {
  static override readonly kind = "InvalidRequestError";
  static override readonly code = "invalid_request";
}

type ApiErrorClass = new (options: CourierApiErrorOptions) => CourierApiError;

/** The `CourierApiError` subclass for an HTTP status. */
function errorClassForStatus(status: number): ApiErrorClass {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? InternalServerError : CourierApiError;
  }
}
