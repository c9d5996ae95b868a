import { QueryClient, QueryClientContext, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useContext, useMemo, useState } from "react";
import { createProxyApi, type ProxyApiOptions } from "./api.js";
import { CourierContext, type CourierContextValue } from "./context.js";

/**
 * Props of {@link CourierProvider}: where the proxy is (the {@link ProxyApiOptions} fields), where the typed
 * generic hooks go, and which `QueryClient` to use.
 *
 * @example
 * ```tsx
 * const props: CourierProviderProps = { baseUrl: "/api/courier", queryClient: new QueryClient() };
 * <CourierProvider {...props}><Inbox /></CourierProvider>;
 * ```
 */
export interface CourierProviderProps extends ProxyApiOptions {
  /**
   * Base URL of the typed generic hooks of `@courier-ts/react/api`: Courier itself when
   * you use a Courier-issued JWT from `getToken`, or a pass-through proxy. Default: `baseUrl`.
   */
  apiBaseUrl?: string;
  /** Use this QueryClient; default: the one from an enclosing QueryClientProvider, else a new one. */
  queryClient?: QueryClient;
  /** The part of the app whose hooks use this connection. */
  children?: ReactNode;
}

function Inner({ value, children }: { value: CourierContextValue; children?: ReactNode }) {
  return <CourierContext.Provider value={value}>{children}</CourierContext.Provider>;
}

/**
 * Gives the hooks below it a Courier connection. By default it talks to your own backend's
 * `courierProxy` at `/api/courier`, so no secret key ever reaches the browser.
 *
 * @example
 * ```tsx
 * <CourierProvider baseUrl="/api/courier">
 *   <Inbox />
 * </CourierProvider>
 * ```
 */
export function CourierProvider(props: CourierProviderProps) {
  const { baseUrl, headers, getToken, fetch, apiBaseUrl, queryClient, children } = props;
  const outer = useContext(QueryClientContext);
  const [own] = useState(() => queryClient ?? outer ?? new QueryClient());
  const headerKey = JSON.stringify(headers ?? {});
  // biome-ignore lint/correctness/useExhaustiveDependencies: headers are compared by value (headerKey).
  const value = useMemo<CourierContextValue>(() => {
    const settings = { baseUrl, headers, getToken, fetch, apiBaseUrl };
    return { api: createProxyApi(settings), settings };
  }, [baseUrl, headerKey, getToken, fetch, apiBaseUrl]);
  const client = queryClient ?? own;
  if (outer && outer === client) {
    return <Inner value={value}>{children}</Inner>;
  }
  return (
    <QueryClientProvider client={client}>
      <Inner value={value}>{children}</Inner>
    </QueryClientProvider>
  );
}
