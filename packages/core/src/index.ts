export * from "./constants.js";
export * from "./errors/index.js";
export { createIdempotencyKey } from "./idempotency.js";
export { nextCursor, pageItems } from "./pagination.js";
export type { RetryPolicy } from "./retry.js";
export { DEFAULT_RETRY_POLICY, isRetryableStatus, retryDelay } from "./retry.js";
export type * from "./types.js";
