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
export const isCourierError = createErrorTypeGuard(CourierError);
/** True when Courier answered with a non-2xx status. */
export const isCourierApiError = createErrorTypeGuard(CourierApiError);
/** True when no response was received (including timeouts). */
export const isConnectionError = createErrorTypeGuard(ConnectionError);
/** True for a per-attempt timeout. */
export const isTimeoutError = createErrorTypeGuard(TimeoutError);
/** True for a 404. */
export const isNotFoundError = createErrorTypeGuard(NotFoundError);
/** True for a 429. */
export const isRateLimitError = createErrorTypeGuard(RateLimitError);
