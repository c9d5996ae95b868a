export * from "./constants.js";
export * from "./errors/index.js";
export { createIdempotencyKey } from "./idempotency.js";
export type * from "./types.js";
