import type {
  MessageFilters as ContractMessageFilters,
  SendToSelfInput as ContractSendToSelfInput,
  ProxyContract,
  ProxyListSubscription,
  ProxyMessage,
  ProxyMessageHistoryEvent,
  ProxyMessagesPage,
  ProxyProfile,
} from "@courier-ts/core";

// The hooks' types are the proxy contract's (`@courier-ts/core`), under the names the hooks use.

/** The signed-in user's Courier profile. */
export type Profile = ProxyProfile;
/** One of the user's list subscriptions. */
export type ListSubscription = ProxyListSubscription;
/** `GET /subscriptions` of the proxy. */
export type SubscriptionsResponse = ProxyContract["getSubscriptions"]["response"];
/** A message sent to the user. */
export type Message = ProxyMessage;
/** A page of the user's messages. */
export type MessagesPage = ProxyMessagesPage;
/** One history event of a message (`ENQUEUED`, `SENT`, `DELIVERED`, ...). */
export type MessageHistoryEvent = ProxyMessageHistoryEvent;
/** Filters of `useMessages`: `status`, `archived`, `tags`. */
export type MessageFilters = ContractMessageFilters;
/** What `useSendToSelf` sends: an allow-listed template, or `{ title, body }` content when the proxy allows it. */
export type SendToSelfInput = ContractSendToSelfInput;
