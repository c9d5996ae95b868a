/**
 * The contract between `courierProxy` (`@courier-ts/express`, on the app's server) and the hooks of
 * `@courier-ts/react` (in the browser): every route's method and path, and its request and response
 * types, defined once here. Both packages import it, so a route changed on one side and not the
 * other fails to compile. Nothing here touches Node or the DOM.
 */
import type { components } from "./generated/openapi.js";

type Schemas = components["schemas"];

/** The signed-in user's Courier profile. */
export type ProxyProfile = Schemas["ProfileGetResponse"]["profile"];
/** One of the user's list subscriptions. */
export type ProxyListSubscription = Schemas["GetListSubscriptionsItem"];
/** A message sent to the user. */
export type ProxyMessage = Schemas["MessageDetails"];
/** A page of the user's messages. */
export type ProxyMessagesPage = Schemas["ListMessagesResponse"];
/** One history event of a message (`ENQUEUED`, `SENT`, `DELIVERED`, ...). */
export type ProxyMessageHistoryEvent = Schemas["MessageHistoryResponse"]["results"][number] & {
  type?: string;
  ts?: number;
};
/** `OPTED_IN`, `OPTED_OUT` or `REQUIRED`. */
export type PreferenceStatus = Schemas["PreferenceStatus"];
/** A delivery channel a user can choose for a topic: `email`, `sms`, `push`, `inbox`, ... */
export type PreferenceChannel = Schemas["ChannelClassification"];
/** A push-token provider: `firebase-fcm`, `apn`, `expo` or `onesignal`. */
export type PushProvider = Schemas["UsersProviderKey"];

/** The query of `GET /messages`: the filters Courier's `GET /messages` offers for one recipient. */
export interface MessageFilters {
  /** Only messages in one of these statuses. */
  status?: Schemas["MessageStatus"][];
  /** Include archived messages (by default they are left out). */
  archived?: boolean;
  /** Only messages sent with these tags (`metadata.tags`). */
  tags?: string[];
}

/** One topic of the user's preferences, with the workspace's defaults and the user's choice. */
export interface TopicPreference {
  topic_id: string;
  topic_name: string;
  description?: string;
  /** The user's status; the topic's default until they choose. */
  status: PreferenceStatus;
  /** The workspace's default. `REQUIRED` topics cannot be opted out. */
  default_status: PreferenceStatus;
  /** Whether the user picked their own channels (`custom_routing`) for this topic. */
  has_custom_routing: boolean;
  /** The channels the user picked (meaningful when `has_custom_routing`). */
  custom_routing: PreferenceChannel[];
  /** The channels the user may pick from. */
  routing_options: PreferenceChannel[];
}

/** A section of the preferences page: a heading and its topics. */
export interface PreferenceSection {
  section_id: string;
  section_name: string;
  description?: string;
  topics: TopicPreference[];
}

/** `GET /preferences`: the user's topics grouped by the workspace's sections, in the workspace's order. */
export interface PreferencesResponse {
  sections: PreferenceSection[];
}

/** `PUT /preferences/:topicId`: the user's new choice for one topic. */
export interface PreferenceUpdate {
  status: Exclude<PreferenceStatus, "REQUIRED">;
  /** Channels to use for this topic; omit to keep Courier's routing. */
  custom_routing?: PreferenceChannel[];
}

/** `PUT /tokens/:token`: a device's push token. */
export interface PushTokenInput {
  provider_key: PushProvider;
  /** ISO 8601 expiry, or `false` for none. Default (Courier's): 2 months. */
  expiry_date?: string | false;
  device?: Schemas["UsersDevice"];
  properties?: Record<string, unknown>;
}

/** `POST /token`: a Courier JWT scoped to the signed-in user. */
export interface CourierTokenResponse {
  token: string;
  /** When it expires, epoch ms. */
  expiresAt: number;
}

/** What `POST /send` sends: an allow-listed template, or `{ title, body }` content when the proxy allows it. */
export type SendToSelfInput =
  | { template: string; data?: Record<string, unknown> }
  | { content: { title: string; body: string }; data?: Record<string, unknown> };

/** The HTTP methods the proxy uses. */
export type ProxyMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Every route of `courierProxy`, relative to where it is mounted. Path parameters are `:name`; their
 * types (`PathParams`) come from these strings. `satisfies` makes every contract entry have exactly one
 * route and every route a contract entry.
 *
 * @example
 * ```ts
 * proxyRoutes.updatePreference; // { method: "PUT", path: "/preferences/:topicId" }
 * ```
 */
export const proxyRoutes = {
  getProfile: { method: "GET", path: "/profile" },
  updateProfile: { method: "PATCH", path: "/profile" },
  getSubscriptions: { method: "GET", path: "/subscriptions" },
  subscribe: { method: "PUT", path: "/subscriptions/:listId" },
  unsubscribe: { method: "DELETE", path: "/subscriptions/:listId" },
  getMessages: { method: "GET", path: "/messages" },
  getMessage: { method: "GET", path: "/messages/:messageId" },
  getMessageHistory: { method: "GET", path: "/messages/:messageId/history" },
  sendToSelf: { method: "POST", path: "/send" },
  getPreferences: { method: "GET", path: "/preferences" },
  updatePreference: { method: "PUT", path: "/preferences/:topicId" },
  putPushToken: { method: "PUT", path: "/tokens/:token" },
  deletePushToken: { method: "DELETE", path: "/tokens/:token" },
  issueToken: { method: "POST", path: "/token" },
} as const satisfies { [N in keyof ProxyContract]: { method: ProxyMethod; path: string } };

/** The name of a proxy route. */
export type ProxyRouteName = keyof typeof proxyRoutes;

/**
 * The request (`query`, `body`) and `response` of each route. `undefined` means none; a route whose
 * answer is 204 has `response: undefined`.
 */
export interface ProxyContract {
  getProfile: { query: undefined; body: undefined; response: { profile: ProxyProfile } };
  updateProfile: { query: undefined; body: { profile: ProxyProfile }; response: { profile: ProxyProfile } };
  getSubscriptions: {
    query: undefined;
    body: undefined;
    /** `available`: the lists the user may join, when the proxy allow-lists a fixed set. */
    response: { results: ProxyListSubscription[]; available?: string[] };
  };
  subscribe: { query: undefined; body: { preferences?: Schemas["RecipientPreferences"] }; response: undefined };
  unsubscribe: { query: undefined; body: undefined; response: undefined };
  getMessages: { query: MessageFilters & { cursor?: string }; body: undefined; response: ProxyMessagesPage };
  getMessage: { query: undefined; body: undefined; response: ProxyMessage };
  getMessageHistory: { query: undefined; body: undefined; response: { results: ProxyMessageHistoryEvent[] } };
  sendToSelf: { query: undefined; body: SendToSelfInput; response: { requestId: string } };
  getPreferences: { query: undefined; body: undefined; response: PreferencesResponse };
  updatePreference: { query: undefined; body: PreferenceUpdate; response: { topic: TopicPreference } };
  putPushToken: { query: undefined; body: PushTokenInput; response: undefined };
  deletePushToken: { query: undefined; body: undefined; response: undefined };
  issueToken: { query: undefined; body: undefined; response: CourierTokenResponse };
}

/** `{ listId: string }` for `"/subscriptions/:listId"`; `{}` for a path without parameters. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

type Flatten<T> = { [K in keyof T]: T[K] };

/** What a caller gives for a route: `params` when its path has any, `query` and `body` when it takes them. */
export type ProxyRequest<N extends ProxyRouteName> = Flatten<
  (keyof PathParams<(typeof proxyRoutes)[N]["path"]> extends never
    ? { params?: undefined }
    : { params: Flatten<PathParams<(typeof proxyRoutes)[N]["path"]>> }) &
    (ProxyContract[N]["query"] extends undefined ? { query?: undefined } : { query?: ProxyContract[N]["query"] }) &
    (ProxyContract[N]["body"] extends undefined ? { body?: undefined } : { body: ProxyContract[N]["body"] })
>;

/** What a route answers. */
export type ProxyResponse<N extends ProxyRouteName> = ProxyContract[N]["response"];

/**
 * The path and query of a call to a route, relative to the proxy's mount point: parameters filled in
 * and encoded, the query's arrays as repeated keys, `undefined` values left out.
 *
 * @example
 * ```ts
 * proxyPath("updatePreference", { params: { topicId: "order-updates" } }); // "/preferences/order-updates"
 * proxyPath("getMessages", { query: { status: ["SENT"], cursor: "c1" } }); // "/messages?status=SENT&cursor=c1"
 * ```
 */
export function proxyPath<N extends ProxyRouteName>(name: N, request: Omit<ProxyRequest<N>, "body">): string {
  const params = (request.params ?? {}) as Record<string, string>;
  const path = proxyRoutes[name].path.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ""));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) {
        search.append(key, String(item));
      }
    }
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
