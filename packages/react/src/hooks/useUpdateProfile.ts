import type { CourierError } from "@courier-ts/core";
import { type UseMutationResult, useMutation, useQueryClient } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierKeys } from "../keys.js";
import type { Profile } from "../types.js";

/**
 * Merges fields into the user's profile. The cached profile updates at once (optimistic) and rolls
 * back if the server refuses.
 *
 * @example
 * ```tsx
 * const update = useUpdateProfile();
 * update.mutate({ name: "Jane" });
 * ```
 */
export function useUpdateProfile(): UseMutationResult<
  Profile,
  CourierError,
  Profile,
  { previous: Profile | undefined }
> {
  const { api } = useCourierContext();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (fields: Profile) => (await api.call("updateProfile", { body: { profile: fields } })).profile,
    onMutate: async (fields) => {
      await queryClient.cancelQueries({ queryKey: courierKeys.profile() });
      const previous = queryClient.getQueryData<Profile>(courierKeys.profile());
      queryClient.setQueryData<Profile>(courierKeys.profile(), { ...previous, ...fields });
      return { previous };
    },
    onError: (_error, _fields, context) => {
      queryClient.setQueryData(courierKeys.profile(), context?.previous);
    },
    onSuccess: (profile) => {
      queryClient.setQueryData(courierKeys.profile(), profile);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: courierKeys.profile() }),
  });
}
