import { CourierError, DEFAULT_BASE_URL } from "@courier-ts/core";
import { readEnv } from "@courier-ts/core/internal";
import createClient from "openapi-fetch";
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from "./constants.js";
import { createCourierFetch, createCourierRequest } from "./fetch.js";
import { INVALID_API_KEY, INVALID_BASE_URL, MISSING_API_KEY } from "./messages.js";
import type { CourierMethod } from "./operationTypes.js";
import type { CourierClientOptions, Middleware } from "./options.js";
import { DEFAULT_RETRY_POLICY } from "./retry.js";

/**
 * The Courier client: openapi-fetch's client, with every operation of the spec typed and the client's
 * own `fetch` underneath. Calls return `{ data, error, response }`: HTTP errors come back as `error`
 * (typed from the spec); wrap a call in {@link unwrap} to get the data or a thrown `CourierApiError`
 * instead. Network failures, timeouts, aborts, redirects and oversized responses always throw a
 * `CourierError`; a 2xx body that is not JSON throws openapi-fetch's `SyntaxError`.
 */
export interface CourierClient {
  GET: CourierMethod<"get">;
  POST: CourierMethod<"post">;
  PUT: CourierMethod<"put">;
  PATCH: CourierMethod<"patch">;
  DELETE: CourierMethod<"delete">;
  /** Adds openapi-fetch middleware. It runs once per call, around all of the call's attempts. */
  use(...middleware: Middleware[]): void;
  /** Removes middleware added with `use`. */
  eject(...middleware: Middleware[]): void;
  /** The resolved base URL. */
  readonly baseUrl: string;
}

/** Anything but printable ASCII: a header value with it is refused by fetch, whose error quotes the value. */
const UNSENDABLE = /[^\x20-\x7e]/;

function fail(message: string, code: string): never {
  throw new CourierError(message, { code });
}

/**
 * An absolute http(s) base URL without trailing slashes. A relative one is resolved against the page in
 * a browser; anywhere else it would fail every call, so it fails here.
 */
function resolveBaseUrl(baseUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl, (globalThis as { document?: { baseURI?: string } }).document?.baseURI);
  } catch {}
  return /^https?:$/.test(url?.protocol as string)
    ? (url as URL).href.replace(/\/+$/, "")
    : fail(INVALID_BASE_URL, "invalid_base_url");
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
  const apiKey = options.apiKey === undefined ? readEnv("COURIER_API_KEY") : options.apiKey;
  if (apiKey !== null) {
    if (typeof apiKey !== "string" || !apiKey.trim()) {
      fail(MISSING_API_KEY, "missing_api_key");
    }
    if (UNSENDABLE.test(apiKey)) {
      fail(INVALID_API_KEY, "invalid_api_key");
    }
  }
  const baseUrl = resolveBaseUrl(options.baseUrl ?? readEnv("COURIER_BASE_URL") ?? DEFAULT_BASE_URL);
  const userFetch = options.fetch;
  const client = createClient({
    baseUrl,
    headers: {
      ...options.headers,
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    Request: createCourierRequest(() => withMiddleware),
    fetch: createCourierFetch({
      // Looked up per call, so that a fetch installed (or instrumented) after the client was made is used.
      fetch: userFetch ?? ((input, init) => globalThis.fetch(input, init)),
      maxRetries: options.maxRetries ?? options.retry?.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      logger: options.logger,
    }),
  });
  // Once middleware is added, openapi-fetch's requests are real `Request`s (see `createCourierRequest`).
  let withMiddleware = false;
  const { use } = client;
  client.use = (...middleware) => {
    withMiddleware = true;
    use(...middleware);
  };
  return Object.assign(client, { baseUrl }) as unknown as CourierClient;
}
