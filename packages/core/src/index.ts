export type { CallHeaders, CallOptions, CourierRequestOptions, ParseAs } from "./callOptions.js";
export * from "./constants.js";
export * from "./errors/index.js";
export { createIdempotencyKey } from "./idempotency.js";
export type {
  CourierTokenResponse,
  MessageFilters,
  PathParams,
  PreferenceChannel,
  PreferenceSection,
  PreferenceStatus,
  PreferencesResponse,
  PreferenceUpdate,
  ProxyContract,
  ProxyListSubscription,
  ProxyMessage,
  ProxyMessageHistoryEvent,
  ProxyMessagesPage,
  ProxyMethod,
  ProxyProfile,
  ProxyRequest,
  ProxyResponse,
  ProxyRouteName,
  PushProvider,
  PushTokenInput,
  SendToSelfInput,
  TopicPreference,
} from "./proxy.js";
export { proxyPath, proxyRoutes } from "./proxy.js";
export type * from "./types.js";
