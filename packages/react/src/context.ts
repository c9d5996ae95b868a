import type { CourierClient } from "@courier-ts/client";
import type { paths } from "@courier-ts/core";
import type { OpenapiQueryClient } from "openapi-react-query";
import { createContext, useContext } from "react";
import type { ProxyApi } from "./api.js";

/**
 * What `<CourierProvider>` gives the hooks below it. Your own hooks reach its parts with {@link useCourierApi}
 * (the proxy) and {@link useCourierClient} (the typed client).
 *
 * @example
 * ```tsx
 * function useUnreadCount() {
 *   const api = useCourierApi();
 *   return useQuery({ queryKey: ["unread"], queryFn: () => api.request<{ count: number }>("GET", "/messages/unread") });
 * }
 * ```
 */
export interface CourierContextValue {
  /** The client of your backend's `courierProxy`, used by the purpose-built hooks. */
  api: ProxyApi;
  /** The typed Courier client (at `apiBaseUrl`) behind the generic hooks. */
  client: CourierClient;
  /** openapi-react-query over `client`, for the typed generic hooks. */
  query: OpenapiQueryClient<paths, "application/json">;
}

export const CourierContext = createContext<CourierContextValue | null>(null);

/** The provider's value; throws outside `<CourierProvider>`. */
export function useCourierContext(): CourierContextValue {
  const value = useContext(CourierContext);
  if (!value) {
    throw new Error("Courier hooks must be used within <CourierProvider>");
  }
  return value;
}

/** The typed `@courier-ts/client` the provider made (for the generic hooks or direct calls). */
export function useCourierClient(): CourierClient {
  return useCourierContext().client;
}

/**
 * The provider's client of your `courierProxy`: for `useSuspenseQuery(courierQueries.x(api))`, or for
 * calls of your own.
 *
 * @example
 * ```tsx
 * const { data } = useSuspenseQuery(courierQueries.preferences(useCourierApi()));
 * ```
 */
export function useCourierApi(): ProxyApi {
  return useCourierContext().api;
}
