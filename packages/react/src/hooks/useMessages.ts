import type { CourierError } from "@courier-ts/core";
import { type InfiniteData, type UseInfiniteQueryResult, useInfiniteQuery } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierKeys } from "../keys.js";
import type { MessageFilters, MessagesPage } from "../types.js";

/**
 * The user's messages, newest first, cursor-paged: `fetchNextPage()` while `hasNextPage`. Pass
 * `refetchInterval` to follow new messages and statuses.
 *
 * @example
 * ```tsx
 * const { data, fetchNextPage, hasNextPage } = useMessages({ status: ["DELIVERED"] });
 * const messages = data?.pages.flatMap((page) => page.results) ?? [];
 * ```
 */
export function useMessages(
  filters: MessageFilters = {},
  options: { refetchInterval?: number | false } = {},
): UseInfiniteQueryResult<InfiniteData<MessagesPage, string | undefined>, CourierError> {
  const { api } = useCourierContext();
  return useInfiniteQuery({
    queryKey: courierKeys.messages(filters),
    refetchInterval: options.refetchInterval,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams();
      if (pageParam) {
        query.set("cursor", pageParam);
      }
      for (const status of filters.status ?? []) {
        query.append("status", status);
      }
      const search = query.toString();
      return api.request<MessagesPage>("GET", `/messages${search ? `?${search}` : ""}`, { signal });
    },
    getNextPageParam: (page) => (page.paging.more && page.paging.cursor ? page.paging.cursor : undefined),
  });
}
