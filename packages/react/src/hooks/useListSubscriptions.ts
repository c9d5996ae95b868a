import type { CourierError } from "@courier-ts/core";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierQueries } from "../queries.js";
import type { SubscriptionsResponse } from "../types.js";

/**
 * The lists the user is subscribed to, and (when the proxy allow-lists them) the lists they may join.
 *
 * @example
 * ```tsx
 * const { data } = useListSubscriptions();
 * data?.results.map((list) => list.id);
 * ```
 */
export function useListSubscriptions(): UseQueryResult<SubscriptionsResponse, CourierError> {
  const { api } = useCourierContext();
  return useQuery(courierQueries.subscriptions(api));
}
