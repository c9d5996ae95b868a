import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  CourierApiError,
  CourierError,
  InternalServerError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
} from "./errors.js";
import { createErrorTypeGuard } from "./guard.js";

export type { CourierApiErrorOptions, CourierErrorOptions, CourierRequestInfo } from "./errors.js";
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  CourierApiError,
  CourierError,
  InternalServerError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
};

/**
 * True for any error the SDK throws (also across duplicated bundles).
 *
 * @example
 * ```ts
 * try { await unwrap(courier.POST("/send", { body })) } catch (e) { if (isCourierError(e)) console.log(e.code) }
 * ```
 */
export const isCourierError = /* @__PURE__ */ createErrorTypeGuard(CourierError);
/** True when Courier answered with a non-2xx status. */
export const isCourierApiError = /* @__PURE__ */ createErrorTypeGuard(CourierApiError);
/** True when no response was received (including timeouts). */
export const isConnectionError = /* @__PURE__ */ createErrorTypeGuard(ConnectionError);
/** True for a per-attempt timeout. */
export const isTimeoutError = /* @__PURE__ */ createErrorTypeGuard(TimeoutError);
/** True for a 404. */
export const isNotFoundError = /* @__PURE__ */ createErrorTypeGuard(NotFoundError);
/** True for a 429. */
export const isRateLimitError = /* @__PURE__ */ createErrorTypeGuard(RateLimitError);
