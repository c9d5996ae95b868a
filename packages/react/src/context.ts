import { createContext, useContext } from "react";
import type { ProxyApi, ProxyApiOptions } from "./api.js";

/**
 * What `<CourierProvider>` gives the hooks below it. Your own hooks reach its parts with {@link useCourierApi}
 * (the proxy); `useCourierClient` from `@courier-ts/react/api` gives the typed client.
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
  /**
   * The provider's connection settings. `@courier-ts/react/api` makes its typed client from them on first
   * use, so an app without the generic hooks never loads the client.
   */
  settings: Readonly<ProxyApiOptions & { apiBaseUrl?: string }>;
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
