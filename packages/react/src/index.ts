/**
 * `@courier-ts/react`: `<CourierProvider>` and the hooks, for client components. What a server component may
 * import (query keys and options, the proxy client) is in `@courier-ts/react/server`.
 *
 * @module index
 */
export type {
  CourierTokenResponse,
  PreferenceChannel,
  PreferenceSection,
  PreferenceStatus,
  PreferencesResponse,
  PreferenceUpdate,
  PushProvider,
  PushTokenInput,
  TopicPreference,
} from "@courier-ts/core";
export type { ProxyApi, ProxyApiOptions } from "./api.js";
export { createProxyApi } from "./api.js";
export type { CourierProviderProps } from "./CourierProvider.js";
export { CourierProvider } from "./CourierProvider.js";
export type { CourierContextValue } from "./context.js";
export { useCourierApi } from "./context.js";
export { useCourierToken } from "./hooks/useCourierToken.js";
export { useListSubscriptions } from "./hooks/useListSubscriptions.js";
export { useMessage } from "./hooks/useMessage.js";
export { useMessages } from "./hooks/useMessages.js";
export { usePreferences } from "./hooks/usePreferences.js";
export { useProfile } from "./hooks/useProfile.js";
export type { RegisterPushTokenInput } from "./hooks/usePushToken.js";
export { useRegisterPushToken, useUnregisterPushToken } from "./hooks/usePushToken.js";
export { useSendToSelf } from "./hooks/useSendToSelf.js";
export { useSubscribe, useUnsubscribe } from "./hooks/useSubscribe.js";
export type { UpdatePreferenceInput } from "./hooks/useUpdatePreference.js";
export { useUpdatePreference } from "./hooks/useUpdatePreference.js";
export { useUpdateProfile } from "./hooks/useUpdateProfile.js";
export { courierKeys } from "./keys.js";
export { courierQueries } from "./queries.js";
export type {
  ListSubscription,
  Message,
  MessageFilters,
  MessageHistoryEvent,
  MessagesPage,
  Profile,
  SendToSelfInput,
  SubscriptionsResponse,
} from "./types.js";
