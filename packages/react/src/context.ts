import type { CourierClient } from "@courier-ts/client";
import type { paths } from "@courier-ts/core";
import type { OpenapiQueryClient } from "openapi-react-query";
import { createContext, useContext } from "react";
import type { ProxyApi } from "./api.js";

export interface CourierContextValue {
  api: ProxyApi;
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
