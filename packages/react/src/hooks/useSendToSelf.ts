import type { CourierError } from "@courier-ts/core";
import { type UseMutationResult, useMutation, useQueryClient } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierKeys } from "../keys.js";
import type { SendToSelfInput } from "../types.js";

/**
 * Sends the signed-in user a message (when the proxy enables send-to-self); refreshes `useMessages`.
 *
 * @example
 * ```tsx
 * const send = useSendToSelf();
 * send.mutate({ template: "WELCOME", data: { name: "Jane" } });
 * ```
 */
export function useSendToSelf(): UseMutationResult<{ requestId: string }, CourierError, SendToSelfInput> {
  const { api } = useCourierContext();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input) => api.call("sendToSelf", { body: input }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: courierKeys.messages() }),
  });
}
