import type { CourierError, components } from "@courier-ts/core";
import { type UseMutationResult, useMutation, useQueryClient } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierKeys } from "../keys.js";

type Preferences = components["schemas"]["RecipientPreferences"];

/**
 * Subscribes the user to a list (one the proxy allows); refreshes `useListSubscriptions`.
 *
 * @example
 * ```tsx
 * const subscribe = useSubscribe();
 * subscribe.mutate({ listId: "product-updates" });
 * ```
 */
export function useSubscribe(): UseMutationResult<void, CourierError, { listId: string; preferences?: Preferences }> {
  const { api } = useCourierContext();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ listId, preferences }) => {
      await api.call("subscribe", { params: { listId }, body: preferences ? { preferences } : {} });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: courierKeys.subscriptions() }),
  });
}

/**
 * Unsubscribes the user from a list; refreshes `useListSubscriptions`.
 *
 * @example
 * ```tsx
 * useUnsubscribe().mutate({ listId: "product-updates" });
 * ```
 */
export function useUnsubscribe(): UseMutationResult<void, CourierError, { listId: string }> {
  const { api } = useCourierContext();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ listId }) => {
      await api.call("unsubscribe", { params: { listId } });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: courierKeys.subscriptions() }),
  });
}
