import { CourierError, DEFAULT_BASE_URL, messages, type paths } from "@courier-ts/core";
import createClient, { type Client, type ClientOptions, createQuerySerializer, type Middleware } from "openapi-fetch";
import type { CourierMethod } from "./operationTypes.js";
import type { CourierClientOptions } from "./options.js";
import { courierPathSerializer } from "./pathSerializer.js";
import { CourierRequest, reliabilityMiddleware } from "./reliability.js";

/**
 * The Courier client: every operation of the spec, typed, with openapi-fetch's `{ data, error, response }`
 * results. HTTP errors come back as `error` (typed from the spec); wrap a call in {@link unwrap} to get
 * the data or a thrown `CourierApiError` instead. Network failures, timeouts and aborts always throw a
 * `CourierError`.
 */
export interface CourierClient {
  GET: CourierMethod<"get">;
  POST: CourierMethod<"post">;
  PUT: CourierMethod<"put">;
  PATCH: CourierMethod<"patch">;
  DELETE: CourierMethod<"delete">;
  /** Adds openapi-fetch middleware; it runs before the client's retry layer, once per call. */
  use(...middleware: Middleware[]): void;
  /** Removes middleware added with `use`. */
  eject(...middleware: Middleware[]): void;
  /** The resolved base URL. */
  readonly baseUrl: string;
}

function env(name: string): string | undefined {
  return typeof process !== "undefined" && process.env ? process.env[name] : undefined;
}

/**
 * Creates a typed Courier client.
 *
 * @example
 * ```ts
 * import { createCourierClient, unwrap } from "@courier-ts/client";
 *
 * const courier = createCourierClient({ apiKey: process.env.COURIER_API_KEY });
 * const { requestId } = await unwrap(
 *   courier.POST("/send", { body: { message: { to: { user_id: "u1" }, template: "WELCOME" } } }),
 * );
 * ```
 */
export function createCourierClient(options: CourierClientOptions = {}): CourierClient {
  const apiKey = options.apiKey === undefined ? env("COURIER_API_KEY") : options.apiKey;
  if (apiKey !== null && (typeof apiKey !== "string" || apiKey.trim() === "")) {
    throw new CourierError(messages.missingApiKey, { code: "missing_api_key" });
  }
  const baseUrl = (options.baseUrl ?? env("COURIER_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (apiKey) {
    headers.Authorization = `Bearer ${apiKey}`;
  }
  const clientOptions: ClientOptions = {
    baseUrl,
    headers,
    fetch: options.fetch ?? ((input: Request | string | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    Request: CourierRequest as unknown as typeof Request,
    pathSerializer: courierPathSerializer,
    // Built once: given options instead, openapi-fetch builds a serializer on every call.
    querySerializer: createQuerySerializer(),
  };
  const client: Client<paths> = createClient<paths>(clientOptions);
  const reliability = reliabilityMiddleware(options);
  client.use(reliability);

  return {
    GET: client.GET as unknown as CourierClient["GET"],
    POST: client.POST as unknown as CourierClient["POST"],
    PUT: client.PUT as unknown as CourierClient["PUT"],
    PATCH: client.PATCH as unknown as CourierClient["PATCH"],
    DELETE: client.DELETE as unknown as CourierClient["DELETE"],
    use(...middleware) {
      // Keep the retry layer last: its onRequest answers the request itself.
      client.eject(reliability);
      client.use(...middleware, reliability);
    },
    eject(...middleware) {
      client.eject(...middleware);
    },
    baseUrl,
  };
}
