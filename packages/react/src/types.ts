import type { components } from "@courier-ts/core";

type Schemas = components["schemas"];

/** The signed-in user's Courier profile. */
export type Profile = Schemas["ProfileGetResponse"]["profile"];
/** One of the user's list subscriptions. */
export type ListSubscription = Schemas["GetListSubscriptionsItem"];
/** `GET /subscriptions` of the proxy. */
export interface SubscriptionsResponse {
  results: ListSubscription[];
  /** Lists the user may subscribe to, when the proxy allow-lists a fixed set. */
  available?: string[];
}
/** A message sent to the user. */
export type Message = Schemas["MessageDetails"];
/** A page of the user's messages. */
export type MessagesPage = Schemas["ListMessagesResponse"];
/** One history event of a message (`ENQUEUED`, `SENT`, `DELIVERED`, ...). */
export type MessageHistoryEvent = Schemas["MessageHistoryResponse"]["results"][number] & { type?: string; ts?: number };
/** Filters of `useMessages`. */
export interface MessageFilters {
  status?: Schemas["MessageStatus"][];
}
/** What `useSendToSelf` sends: an allow-listed template, or `{ title, body }` content when the proxy allows it. */
export type SendToSelfInput =
  | { template: string; data?: Record<string, unknown> }
  | { content: { title: string; body: string }; data?: Record<string, unknown> };
