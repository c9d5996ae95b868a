import {
  AbortError,
  ConnectionError,
  CourierApiError,
  type ProxyRequest,
  type ProxyResponse,
  type ProxyRouteName,
  proxyPath,
  proxyRoutes,
} from "@courier-ts/core";

/**
 * Where and how {@link createProxyApi} (and `<CourierProvider>`, which takes the same options) reaches your
 * backend's `courierProxy`. All fields are optional: by default it calls `/api/courier` on the page's origin
 * with the browser's cookies.
 *
 * @example
 * ```ts
 * const options: ProxyApiOptions = { baseUrl: "/api/courier", getToken: () => localStorage.getItem("session") };
 * const api = createProxyApi(options);
 * ```
 */
export interface ProxyApiOptions {
  /** Where `courierProxy` is mounted. Default `/api/courier` (same origin). */
  baseUrl?: string;
  /** Extra headers on every call, e.g. your session header. */
  headers?: Record<string, string>;
  /** A bearer token for every call (your session token, or a Courier-issued JWT). */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Defaults to `globalThis.fetch`, looked up at call time (never at import: SSR-safe). */
  fetch?: typeof fetch;
}

/** Calls the app's Courier proxy; non-2xx answers become the matching `CourierApiError`. */
export interface ProxyApi {
  /** One route of the proxy contract (`proxyRoutes`), typed: its params, query, body and answer. */
  call<N extends ProxyRouteName>(name: N, request: ProxyRequest<N>, signal?: AbortSignal): Promise<ProxyResponse<N>>;
  /** Any path under the proxy, untyped (for routes an app adds to its own proxy). */
  request<T>(method: string, path: string, options?: { body?: unknown; signal?: AbortSignal }): Promise<T>;
}

/**
 * A client of the app's `courierProxy`, usable without React: on the server to prefetch (pass the
 * absolute URL and the user's cookie), or in tests.
 *
 * @example
 * ```ts
 * const api = createProxyApi({ baseUrl: "https://app.example.com/api/courier", headers: { cookie } });
 * const { sections } = await api.call("getPreferences", {});
 * ```
 */
export function createProxyApi(options: ProxyApiOptions = {}): ProxyApi {
  const base = (options.baseUrl ?? "/api/courier").replace(/\/+$/, "");
  async function request<T>(
    method: string,
    path: string,
    init: { body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    const token = await options.getToken?.();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    if (init.body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
        credentials: "same-origin",
      });
    } catch (cause) {
      if (init.signal?.aborted) {
        throw new AbortError(`${method} ${path} was aborted`, { cause, request: { method, path } });
      }
      throw new ConnectionError(`Could not reach ${base} for ${method} ${path}`, {
        cause,
        request: { method, path },
      });
    }
    const text = response.status === 204 ? "" : await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (!response.ok) {
      throw CourierApiError.from(response, body, { method, path });
    }
    return body as T;
  }
  return {
    request,
    call: (name, input, signal) =>
      request(proxyRoutes[name].method, proxyPath(name, input), { body: input.body, signal }),
  };
}
