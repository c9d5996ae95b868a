/**
 * `@courier-ts/client`: the typed Courier client (`createCourierClient`), `unwrap`, pagination, and the typed
 * errors and API types re-exported from `@courier-ts/core`. Bulk sends are in `@courier-ts/client/bulk`.
 *
 * @module index
 */
export type { CourierRequestInfo, components, operations, paths } from "@courier-ts/core";
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  CourierApiError,
  CourierError,
  createIdempotencyKey,
  InternalServerError,
  InvalidRequestError,
  isCourierApiError,
  isCourierError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
} from "@courier-ts/core";
export type { CourierClient } from "./client.js";
export { createCourierClient } from "./client.js";
export type { CourierMethod, HttpMethod, ResultOf } from "./operationTypes.js";
export type {
  CallHeaders,
  CallOptions,
  CallParams,
  CourierClientOptions,
  CourierLogEvent,
  CourierLogger,
  CourierRequestOptions,
  FetchLike,
  Middleware,
  MiddlewareContext,
  ParseAs,
} from "./options.js";
export type { PageItem, PaginatedPath, PaginateOptions } from "./paginate.js";
export { paginate, paginatePages } from "./paginate.js";
export type { RetryPolicy } from "./retry.js";
export { unwrap } from "./unwrap.js";
