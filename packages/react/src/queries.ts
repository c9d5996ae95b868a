import type { CourierTokenResponse, PreferencesResponse } from "@courier-ts/core";
import type { ProxyApi } from "./api.js";
import { courierKeys } from "./keys.js";
import type {
  Message,
  MessageFilters,
  MessageHistoryEvent,
  MessagesPage,
  Profile,
  SubscriptionsResponse,
} from "./types.js";

/** Refresh a Courier token this long before it expires: a tenth of its life, at most a minute. */
function refreshIn(token: CourierTokenResponse, receivedAt: number, now: number): number {
  const margin = Math.min(60_000, (token.expiresAt - receivedAt) / 10);
  return token.expiresAt - margin - now;
}

/**
 * The query options behind each hook (`queryKey` + `queryFn`), for prefetching on the server, for
 * `useSuspenseQuery`, or for `queryClient.fetchQuery`. They need no React and no browser.
 *
 * @example
 * ```ts
 * // Next.js App Router, in a server component:
 * const api = createProxyApi({ baseUrl: `${origin}/api/courier`, headers: { cookie } });
 * await queryClient.prefetchQuery(courierQueries.preferences(api));
 * // In a client component, with Suspense:
 * const { data } = useSuspenseQuery(courierQueries.preferences(useCourierApi()));
 * ```
 */
export const courierQueries = {
  /** The signed-in user's profile, as {@link useProfile} reads it. */
  profile: (api: ProxyApi) => ({
    queryKey: courierKeys.profile(),
    /** Fetches it through the proxy; TanStack Query passes the `signal` that cancels it. */
    queryFn: async ({ signal }: { signal?: AbortSignal }): Promise<Profile> =>
      (await api.call("getProfile", {}, signal)).profile,
  }),
  /** The lists the user is subscribed to, as {@link useListSubscriptions} reads them. */
  subscriptions: (api: ProxyApi) => ({
    queryKey: courierKeys.subscriptions(),
    /** Fetches it through the proxy; TanStack Query passes the `signal` that cancels it. */
    queryFn: ({ signal }: { signal?: AbortSignal }): Promise<SubscriptionsResponse> =>
      api.call("getSubscriptions", {}, signal),
  }),
  /** The user's preference sections and topics, as {@link usePreferences} reads them. */
  preferences: (api: ProxyApi) => ({
    queryKey: courierKeys.preferences(),
    /** Fetches it through the proxy; TanStack Query passes the `signal` that cancels it. */
    queryFn: ({ signal }: { signal?: AbortSignal }): Promise<PreferencesResponse> =>
      api.call("getPreferences", {}, signal),
  }),
  /** Infinite (cursor-paged): use with `prefetchInfiniteQuery` / `useSuspenseInfiniteQuery`. */
  messages: (api: ProxyApi, filters: MessageFilters = {}) => ({
    queryKey: courierKeys.messages(filters),
    initialPageParam: undefined as string | undefined,
    /** Fetches one page; `pageParam` is the cursor of the page before (none for the first). */
    queryFn: ({ pageParam, signal }: { pageParam: string | undefined; signal?: AbortSignal }): Promise<MessagesPage> =>
      api.call("getMessages", { query: { ...filters, cursor: pageParam } }, signal),
    /** The next page's cursor, or `undefined` on the last page. */
    getNextPageParam: (page: MessagesPage): string | undefined =>
      page.paging.more && page.paging.cursor ? page.paging.cursor : undefined,
  }),
  /** One message and its delivery history, as {@link useMessage} reads them. */
  message: (api: ProxyApi, id: string) => ({
    queryKey: courierKeys.message(id),
    /** Fetches the message and its history in parallel. */
    queryFn: async ({
      signal,
    }: {
      signal?: AbortSignal;
    }): Promise<{ message: Message; history: MessageHistoryEvent[] }> => {
      const [message, history] = await Promise.all([
        api.call("getMessage", { params: { messageId: id } }, signal),
        api.call("getMessageHistory", { params: { messageId: id } }, signal),
      ]);
      return { message, history: history.results };
    },
  }),
  /** Fresh until shortly before it expires, then fetched again (also in the background). */
  courierToken: (api: ProxyApi) => ({
    queryKey: courierKeys.courierToken(),
    /** Asks the proxy to issue a token for the signed-in user. */
    queryFn: ({ signal }: { signal?: AbortSignal }): Promise<CourierTokenResponse> =>
      api.call("issueToken", {}, signal),
    /** Fresh until a tenth of the token's life (at most a minute) before it expires. */
    staleTime: (query: { state: { data?: CourierTokenResponse; dataUpdatedAt: number } }) =>
      query.state.data ? Math.max(0, refreshIn(query.state.data, query.state.dataUpdatedAt, Date.now())) : 0,
    /** Refetches at that moment, even in the background; never sooner than every second (clock skew). */
    refetchInterval: (query: { state: { data?: CourierTokenResponse; dataUpdatedAt: number } }) =>
      query.state.data ? Math.max(1_000, refreshIn(query.state.data, query.state.dataUpdatedAt, Date.now())) : false,
    refetchIntervalInBackground: true,
  }),
};
