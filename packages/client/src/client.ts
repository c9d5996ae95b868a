import { CourierError, DEFAULT_BASE_URL, messages } from "@courier-ts/core";
import type { CourierMethod } from "./operationTypes.js";
import type { CourierClientOptions, Middleware } from "./options.js";
import { type CallOptions, createTransport } from "./transport.js";

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
  /** Adds middleware (openapi-fetch compatible). It runs once per call, around the retry loop. */
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
  const headers: Record<string, string> = { accept: "application/json" };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  if (apiKey) {
    headers.authorization = `Bearer ${apiKey}`;
  }
  const middleware: Middleware[] = [];
  const call = createTransport(
    {
      baseUrl,
      headers,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      maxRetries: options.maxRetries,
      timeout: options.timeout,
      retry: options.retry,
      logger: options.logger,
    },
    middleware,
  );
  const method = (name: string) => (path: string, init?: CallOptions) => call(name, path, init);

  return {
    GET: method("GET") as CourierClient["GET"],
    POST: method("POST") as CourierClient["POST"],
    PUT: method("PUT") as CourierClient["PUT"],
    PATCH: method("PATCH") as CourierClient["PATCH"],
    DELETE: method("DELETE") as CourierClient["DELETE"],
    use(...added) {
      for (const m of added) {
        if (typeof m !== "object" || m === null || !("onRequest" in m || "onResponse" in m || "onError" in m)) {
          throw new TypeError("Middleware must be an object with onRequest(), onResponse() or onError()");
        }
        middleware.push(m);
      }
    },
    eject(...removed) {
      for (const m of removed) {
        const i = middleware.indexOf(m);
        if (i !== -1) {
          middleware.splice(i, 1);
        }
      }
    },
    baseUrl,
  };
}
