import type { CourierError } from "@courier-ts/core";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierKeys } from "../keys.js";
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
    queryKey: courierKeys.message(id ?? ""),
    enabled: Boolean(id),
    refetchInterval: options.refetchInterval,
    queryFn: async ({ signal }) => {
      const path = `/messages/${encodeURIComponent(id ?? "")}`;
      const [message, history] = await Promise.all([
        api.request<Message>("GET", path, { signal }),
        api.request<{ results: MessageHistoryEvent[] }>("GET", `${path}/history`, { signal }),
      ]);
      return { message, history: history.results };
    },
  });
}
