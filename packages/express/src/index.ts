/**
 * `@courier-ts/express`: profile sync, the scoped proxy for the browser hooks, webhook verification, and the
 * in-memory store. The Redis store for apps on several instances is in `@courier-ts/express/redis`.
 *
 * @module index
 */
export type { CourierTokenOptions } from "./courierToken.js";
export { jsonErrorHandler } from "./errors.js";
export type {
  ProfileSyncBaseOptions,
  ProfileSyncMiddleware,
  ProfileSyncOptions,
  ProfileSyncStats,
  ProfileSyncThreadOptions,
  SyncUser,
} from "./profileSync.js";
export { courierProfileSync } from "./profileSync.js";
export type { ProxyOptions, RoutingField } from "./proxy.js";
export { courierProxy, ROUTING_FIELDS } from "./proxy.js";
export type { CourierStore, ProfileSyncStore, ReplayStore } from "./store.js";
export { createMemoryStore } from "./store.js";
export type { CourierWebhookEvent, VerifyResult, WebhookOptions } from "./webhook.js";
export { courierWebhook, SIGNATURE_HEADER, signCourierPayload, verifyCourierSignature } from "./webhook.js";
