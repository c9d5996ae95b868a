import { type CourierClient, createCourierClient } from "@courier-ts/client";
import { CourierApiError, type paths } from "@courier-ts/core";
import createQueryClient, { type OpenapiQueryClient } from "openapi-react-query";
import { type CourierContextValue, useCourierContext } from "./context.js";

interface Typed {
  client: CourierClient;
  /** openapi-react-query over `client`, for the typed generic hooks. */
  query: OpenapiQueryClient<paths, "application/json">;
}

// One typed client per provider value (the provider remakes its value only when its settings change). Made
// here, on first use, rather than by the provider, so the main entry does not carry the client.
const made = new WeakMap<CourierContextValue, Typed>();

function make({ baseUrl, apiBaseUrl, headers, getToken, fetch }: CourierContextValue["settings"]): Typed {
  const client = createCourierClient({
    apiKey: null,
    // The client refuses a relative URL outside a browser; a server render sends nothing through it.
    baseUrl: new URL(apiBaseUrl ?? baseUrl ?? "/api/courier", globalThis.document?.baseURI ?? "http://localhost").href,
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
  return { client, query: createQueryClient(throwing as never) as Typed["query"] };
}

/** The provider's typed client and its openapi-react-query wrapper, made on first use. */
export function useTyped(): Typed {
  const value = useCourierContext();
  let typed = made.get(value);
  if (!typed) {
    typed = make(value.settings);
    made.set(value, typed);
  }
  return typed;
}

/**
 * The typed `@courier-ts/client` over the provider's `apiBaseUrl`, `headers`, `getToken` and `fetch`, for
 * calls of your own (the generic hooks use the same one).
 *
 * @example
 * ```tsx
 * const courier = useCourierClient();
 * const onClick = () => courier.GET("/messages/{message_id}", { params: { path: { message_id } } });
 * ```
 */
export function useCourierClient(): CourierClient {
  return useTyped().client;
}
