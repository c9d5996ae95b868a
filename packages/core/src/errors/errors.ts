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

export interface CourierErrorOptions {
  code?: string;
  cause?: unknown;
  request?: CourierRequestInfo;
}

/** The `kind` a class declares itself (not one it inherits). */
function ownKind(ctor: unknown): string | undefined {
  const kind: unknown = Object.hasOwn(ctor as object, "kind") ? (ctor as { kind?: unknown }).kind : undefined;
  return typeof kind === "string" ? kind : undefined;
}

function collectKinds(ctor: unknown): string[] {
  const kinds: string[] = [];
  let c: unknown = ctor;
  while (typeof c === "function") {
    const kind = ownKind(c);
    if (kind !== undefined) {
      kinds.push(kind);
    }
    c = Object.getPrototypeOf(c);
  }
  return kinds;
}

/** `value instanceof ctor` by prototype chain, or by the kinds an error of another copy carries. */
function isInstance(ctor: object, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(ctor, value)) {
    return true;
  }
  const kind = ownKind(ctor);
  return kind !== undefined && hasKind(value, kind);
}

/**
 * The base of every error the SDK throws.
 *
 * @example
 * ```ts
 * try { await courier.send({ message }) } catch (e) { if (isCourierError(e)) console.log(e.code) }
 * ```
 */
export class CourierError extends Error {
  static readonly kind: string = "CourierError";
  /** A stable machine-readable code, e.g. `api_error`, `connection_error`, `timeout`. */
  readonly code: string;
  /** The HTTP status, when a response was received. */
  readonly status: number | undefined;
  /** Courier's error `type` (e.g. `invalid_request_error`), when the body had one. */
  readonly type: string | undefined;
  /** Courier's request id, when the response carried one. */
  readonly requestId: string | undefined;
  /** Response headers, without anything that could carry a credential. */
  readonly headers: Record<string, string>;
  /** Method and path of the failed request. */
  readonly request: CourierRequestInfo | undefined;
  declare readonly [KINDS]: readonly string[];

  constructor(message: string, options: CourierErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // The class's `kind`, not its constructor's name: a minifier renames classes (`se: 400 ...`).
    this.name = (new.target as unknown as { kind: string }).kind;
    this.code = options.code ?? "courier_error";
    this.status = undefined;
    this.type = undefined;
    this.requestId = undefined;
    this.headers = {};
    this.request = options.request;
    Object.defineProperty(this, KINDS, { value: collectKinds(new.target), enumerable: false });
  }

  /**
   * `instanceof` that also recognises errors made by another copy of this class: apps can end up with
   * two copies or versions of this package (a bundled dependency, a duplicated install). Every error carries the kinds of its class chain, so `e instanceof
   * NotFoundError` holds whichever copy made `e`.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of `instanceof`.
    return isInstance(this, value);
  }

  /** A loggable, credential-free view of the error. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      type: this.type,
      requestId: this.requestId,
      request: this.request,
    };
  }
}

export interface CourierApiErrorOptions extends CourierErrorOptions {
  status: number;
  body?: unknown;
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

/** Parses `Retry-After` / `retry-after-ms` into milliseconds (undefined when absent or unreadable). */
export function parseRetryAfter(
  headers: Headers | Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) {
    return undefined;
  }
  const get = (name: string) =>
    headers instanceof Headers ? headers.get(name) : (headers[name] ?? headers[name.toLowerCase()]);
  const ms = get("retry-after-ms");
  if (ms != null && ms.trim() !== "" && Number.isFinite(Number(ms))) {
    return Math.max(0, Number(ms));
  }
  const value = get("retry-after");
  if (value == null || value.trim() === "") {
    return undefined;
  }
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) {
    return Math.max(0, Number(value) * 1000);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Courier answered with a non-2xx status. `status`, `type`, `message` and `requestId` come from the
 * response; `body` is the parsed error body.
 */
export class CourierApiError extends CourierError {
  static override readonly kind: string = "CourierApiError";
  declare readonly status: number;
  /** The parsed response body (usually `{ message, type }`). */
  readonly body: unknown;
  /** How long the server asked us to wait, in ms (from `Retry-After` / `retry-after-ms`). */
  readonly retryAfter: number | undefined;

  constructor(options: CourierApiErrorOptions) {
    super(messages.apiError(options.status, bodyField(options.body, "message")), {
      code: options.code ?? "api_error",
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
    this.retryAfter = parseRetryAfter(options.headers);
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
  constructor(message: string, options: CourierErrorOptions = {}) {
    super(message, { code: "connection_error", ...options });
  }
}

/** An attempt took longer than the client's `timeout`. */
export class TimeoutError extends ConnectionError {
  static override readonly kind = "TimeoutError";
  constructor(message: string, options: CourierErrorOptions = {}) {
    super(message, { code: "timeout", ...options });
  }
}

/** The caller's `AbortSignal` fired; no further attempts were made. */
export class AbortError extends CourierError {
  static override readonly kind = "AbortError";
  constructor(message: string, options: CourierErrorOptions = {}) {
    super(message, { code: "aborted", ...options });
  }
}

/** A request the SDK refused to send (e.g. an empty or `..` path parameter). */
export class InvalidRequestError extends CourierError {
  static override readonly kind = "InvalidRequestError";
  constructor(message: string, options: CourierErrorOptions = {}) {
    super(message, { code: "invalid_request", ...options });
  }
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
