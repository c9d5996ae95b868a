import { CourierApiError } from "@courier-ts/core";
import { requestInfoOf } from "./fetch.js";

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
    throw CourierApiError.from(response, error, requestInfoOf(response));
  }
  return data as D;
}
