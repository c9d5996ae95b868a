export type { ProxyApi, ProxyApiOptions } from "./api.js";
export { createProxyApi } from "./api.js";
export type { CourierProviderProps } from "./CourierProvider.js";
export { CourierProvider } from "./CourierProvider.js";
export type { CourierContextValue } from "./context.js";
export { useCourierClient } from "./context.js";
export { useCourierMutation, useCourierQuery } from "./hooks/useCourierQuery.js";
export { useListSubscriptions } from "./hooks/useListSubscriptions.js";
export { useMessage } from "./hooks/useMessage.js";
export { useMessages } from "./hooks/useMessages.js";
export { useProfile } from "./hooks/useProfile.js";
export { useSendToSelf } from "./hooks/useSendToSelf.js";
export { useSubscribe, useUnsubscribe } from "./hooks/useSubscribe.js";
export { useUpdateProfile } from "./hooks/useUpdateProfile.js";
export { courierKeys } from "./keys.js";
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
