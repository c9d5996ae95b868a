import type { CourierError } from "@courier-ts/core";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierQueries } from "../queries.js";
import type { Message, MessageHistoryEvent } from "../types.js";

/**
 * One of the user's messages with its history. Pass `refetchInterval` to follow its status.
 *
 * @example
 * ```tsx
 * const { data } = useMessage(id, { refetchInterval: 1000 });
 * data?.message.status; data?.history.map((e) => e.type);
 * ```
 */
export function useMessage(
  id: string | undefined,
  options: { refetchInterval?: number | false } = {},
): UseQueryResult<{ message: Message; history: MessageHistoryEvent[] }, CourierError> {
  const { api } = useCourierContext();
  return useQuery({
    ...courierQueries.message(api, id ?? ""),
    enabled: Boolean(id),
    refetchInterval: options.refetchInterval,
  });
}
