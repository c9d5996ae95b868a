import { createCourierClient } from "@courier-ts/client";
import { CourierApiError } from "@courier-ts/core";
import { QueryClient, QueryClientContext, QueryClientProvider } from "@tanstack/react-query";
import createQueryClient from "openapi-react-query";
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
   * Base URL of the typed generic hooks (`useCourierQuery`, `useCourierMutation`): Courier itself when
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
    const api = createProxyApi({ baseUrl, headers, getToken, fetch });
    const client = createCourierClient({
      apiKey: null,
      // The client refuses a relative URL outside a browser; a server render sends nothing through it.
      baseUrl: new URL(apiBaseUrl ?? baseUrl ?? "/api/courier", globalThis.document?.baseURI ?? "http://localhost")
        .href,
      headers,
      maxRetries: 0,
      fetch: async (input, init) => {
        const token = await getToken?.();
        const h = new Headers(init?.headers);
        if (token) {
          h.set("Authorization", `Bearer ${token}`);
        }
        return (fetch ?? globalThis.fetch)(input, { ...init, headers: h });
      },
    });
    // openapi-react-query throws the `error` of a result: make it the matching CourierApiError.
    const throwing = Object.fromEntries(
      (["GET", "POST", "PUT", "PATCH", "DELETE"] as const).map((method) => [
        method,
        async (path: string, init: unknown) => {
          const result = await (
            client[method] as (p: string, i: unknown) => Promise<{ error?: unknown; response: Response }>
          )(path, init);
          return result.response.ok
            ? result
            : { ...result, error: CourierApiError.from(result.response, result.error, { method, path }) };
        },
      ]),
    );
    const query = createQueryClient(throwing as never) as CourierContextValue["query"];
    return { api, client, query };
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
