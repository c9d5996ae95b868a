/**
 * Helpers that the `@courier-ts/*` packages share with each other. Not part of the public API: they may
 * change in any release. Users import from `@courier-ts/core` (or `@courier-ts/client`) instead.
 */
export { readEnv } from "./env.js";
export { parseRetryAfter } from "./retryAfter.js";
