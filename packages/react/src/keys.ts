import type { MessageFilters } from "./types.js";

/**
 * Query keys of every hook, stable and exported so an app can invalidate or prefetch.
 *
 * @example
 * ```ts
 * queryClient.invalidateQueries({ queryKey: courierKeys.messages() });
 * ```
 */
export const courierKeys = {
  all: ["courier"] as const,
  profile: () => [...courierKeys.all, "profile"] as const,
  subscriptions: () => [...courierKeys.all, "subscriptions"] as const,
  messages: (filters?: MessageFilters) =>
    filters ? ([...courierKeys.all, "messages", filters] as const) : ([...courierKeys.all, "messages"] as const),
  message: (id: string) => [...courierKeys.all, "message", id] as const,
  /** Keys of the typed generic hooks: `[method, path, init]`, as openapi-react-query builds them. */
  operation: (method: string, path: string, init?: unknown) =>
    [method, path, ...(init === undefined ? [] : [init])] as const,
};
