import type { CourierError } from "@courier-ts/core";
import { type InfiniteData, type UseInfiniteQueryResult, useInfiniteQuery } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierQueries } from "../queries.js";
import type { MessageFilters, MessagesPage } from "../types.js";

/**
 * The user's messages, newest first, cursor-paged: `fetchNextPage()` while `hasNextPage`. Filters:
 * `status` (any of), `archived` (include archived ones), `tags`. Pass `refetchInterval` to follow new
 * messages and statuses.
 *
 * @example
 * ```tsx
 * const { data, fetchNextPage, hasNextPage } = useMessages({ status: ["DELIVERED"], tags: ["billing"] });
 * const messages = data?.pages.flatMap((page) => page.results) ?? [];
 * ```
 */
export function useMessages(
  filters: MessageFilters = {},
  options: { refetchInterval?: number | false } = {},
): UseInfiniteQueryResult<InfiniteData<MessagesPage, string | undefined>, CourierError> {
  const { api } = useCourierContext();
  return useInfiniteQuery({ ...courierQueries.messages(api, filters), refetchInterval: options.refetchInterval });
}
