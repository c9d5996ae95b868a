export type { CourierTokenOptions } from "./courierToken.js";
export { jsonErrorHandler } from "./errors.js";
export type { ProfileSyncMiddleware, ProfileSyncOptions, ProfileSyncStats, SyncUser } from "./profileSync.js";
export { courierProfileSync } from "./profileSync.js";
export type { ProxyOptions } from "./proxy.js";
export { courierProxy } from "./proxy.js";
export type { CourierWebhookEvent, VerifyResult, WebhookOptions } from "./webhook.js";
export { courierWebhook, SIGNATURE_HEADER, signCourierPayload, verifyCourierSignature } from "./webhook.js";
