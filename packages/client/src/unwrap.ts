import { CourierApiError, type RequestInfo } from "@courier-ts/core";
import { REQUEST_INFO } from "./reliability.js";

interface Result<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * Turns a `{ data, error, response }` result into its data, or throws the `CourierApiError` subclass
 * for the status (`NotFoundError`, `RateLimitError`, ...).
 *
 * @example
 * ```ts
 * const profile = await unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id: "u1" } } }));
 * ```
 */
export async function unwrap<D>(result: Result<D> | Promise<Result<D>>): Promise<D> {
  const { data, error, response } = await result;
  if (!response.ok) {
    const request = (response as Response & { [REQUEST_INFO]?: RequestInfo })[REQUEST_INFO];
    throw CourierApiError.from(response, error, request);
  }
  return data as D;
}
