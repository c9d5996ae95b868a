/**
 * What every call of `@courier-ts/client` takes besides its `params` and `body`. They live here, beside
 * the generated call maps (`GetCalls`...), so that each map entry names them as one plain type: a map
 * generic in its options costs a consumer's type-check about ten instantiations per path of a method on
 * the first call of that method.
 */

/** Options that can be set per client and overridden per call. */
export interface CourierRequestOptions {
  /** Attempts after the first for retryable failures. Default 2. */
  maxRetries?: number;
  /** Per-attempt timeout in ms, reading the response body included. Default 60000. */
  timeout?: number;
  /** The `Idempotency-Key` for a POST; generated when absent and reused across that call's retries. */
  idempotencyKey?: string;
  /** Stops the call and any pending retry at once. */
  signal?: AbortSignal | null;
}

/** Headers for a call: a record (`null` removes a header set by the client), `Headers` or pairs. */
export type CallHeaders =
  | Record<string, string | number | boolean | readonly (string | number | boolean)[] | null | undefined>
  | Headers
  | [string, string][];

/** How a 2xx body is read into `data`. Default `json`. */
export type ParseAs = "json" | "text" | "blob" | "arrayBuffer" | "stream";

/** Options every call takes besides params and body: the client's per-call options and fetch settings. */
export interface CallOptions extends CourierRequestOptions {
  /** Headers of this call, merged over the client's. */
  headers?: CallHeaders;
  /** Another API origin for this call. */
  baseUrl?: string;
  /** How a 2xx body is read into `data`. Default `json`. */
  parseAs?: ParseAs;
}
