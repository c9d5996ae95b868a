import type { CourierError, PushTokenInput } from "@courier-ts/core";
import { type UseMutationResult, useMutation } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";

/** What `useRegisterPushToken` takes: the device's token and its provider. */
export type RegisterPushTokenInput = PushTokenInput & { token: string };

/**
 * Registers a device's push token for the signed-in user (`PUT /users/{user_id}/tokens/{token}` on
 * the server). Registering the same token again updates it.
 *
 * @example
 * ```tsx
 * const register = useRegisterPushToken();
 * register.mutate({ token: fcmToken, provider_key: "firebase-fcm", device: { platform: "web" } });
 * ```
 */
export function useRegisterPushToken(): UseMutationResult<void, CourierError, RegisterPushTokenInput> {
  const { api } = useCourierContext();
  return useMutation({
    mutationFn: async ({ token, ...body }) => {
      await api.call("putPushToken", { params: { token }, body });
    },
  });
}

/**
 * Removes one of the signed-in user's push tokens (e.g. at sign-out). Removing a token that is not
 * there succeeds.
 *
 * @example
 * ```tsx
 * useUnregisterPushToken().mutate({ token: fcmToken });
 * ```
 */
export function useUnregisterPushToken(): UseMutationResult<void, CourierError, { token: string }> {
  const { api } = useCourierContext();
  return useMutation({
    mutationFn: async ({ token }) => {
      await api.call("deletePushToken", { params: { token } });
    },
  });
}
