/**
 * `@courier-ts/react/server`: what a server component (Next.js App Router) may import to prefetch the
 * hooks' data: the query keys, the query options, and a proxy client. No hooks, no context, and no
 * `"use client"` directive, so these stay callable on the server.
 *
 * @module server
 */
export type { ProxyApi, ProxyApiOptions } from "./api.js";
export { createProxyApi } from "./api.js";
export { courierKeys } from "./keys.js";
export { courierQueries } from "./queries.js";
