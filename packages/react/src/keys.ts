import type { MessageFilters } from "./types.js";

/** The filters without empty values, so `{}` and `{ status: [] }` share one cache entry. */
function normalize(filters: MessageFilters): MessageFilters {
  const out: MessageFilters = {};
  if (filters.status?.length) {
    out.status = [...filters.status].sort();
  }
  if (filters.archived) {
    out.archived = true;
  }
  if (filters.tags?.length) {
    out.tags = [...filters.tags].sort();
  }
  return out;
}

/**
 * Query keys of every hook, stable and exported so an app can invalidate or prefetch.
 *
 * @example
 * ```ts
 * queryClient.invalidateQueries({ queryKey: courierKeys.messages() });
 * ```
 */
export const courierKeys = {
  /** The prefix of every key: invalidate it to refetch everything Courier. */
  all: ["courier"] as const,
  /** {@link useProfile}'s key. */
  profile: () => [...courierKeys.all, "profile"] as const,
  /** {@link useListSubscriptions}'s key. */
  subscriptions: () => [...courierKeys.all, "subscriptions"] as const,
  /** Without filters: the prefix of every messages query (for invalidation). */
  messages: (filters?: MessageFilters) =>
    filters
      ? ([...courierKeys.all, "messages", normalize(filters)] as const)
      : ([...courierKeys.all, "messages"] as const),
  /** {@link useMessage}'s key for one message id. */
  message: (id: string) => [...courierKeys.all, "message", id] as const,
  /** {@link usePreferences}'s key; {@link useUpdatePreference} updates this entry. */
  preferences: () => [...courierKeys.all, "preferences"] as const,
  /** {@link useCourierToken}'s key. */
  courierToken: () => [...courierKeys.all, "courier-token"] as const,
  /** Keys of the typed generic hooks: `[method, path, init]`, as openapi-react-query builds them. */
  operation: (method: string, path: string, init?: unknown) =>
    [method, path, ...(init === undefined ? [] : [init])] as const,
};
