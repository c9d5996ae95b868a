/**
 * The typed surface of the client's methods, written for cheap type-checking (`pnpm bench cost`).
 *
 * - What a call takes and returns is looked up in generated call maps (`GetCalls`, `PostCalls`... in
 *   `@courier-ts/core`), not computed with conditional types: TypeScript evaluates a generic method's
 *   parameter type for every path of the method when it checks a call, so computed types cost every
 *   operation's worth on a consumer's first call of each method.
 * - The init argument is `NoInfer`: the path alone picks the operation, so TypeScript does not try to
 *   infer the path from the init object, which was most of the cost of each further call.
 */
import type { DeleteCalls, GetCalls, PatchCalls, PostCalls, PutCalls } from "@courier-ts/core";

/** HTTP methods with typed helpers. */
export type HttpMethod = "get" | "put" | "post" | "patch" | "delete";

interface CallMaps {
  get: GetCalls;
  put: PutCalls;
  post: PostCalls;
  patch: PatchCalls;
  delete: DeleteCalls;
}

/** The generated call map of a method (`GetCalls`... from `@courier-ts/core`). */
export type CallsOf<M extends HttpMethod> = CallMaps[M];

/** One entry of a generated call map. */
export interface CallEntry {
  args: unknown[];
  data: unknown;
  error: unknown;
}

/** What a call of a call-map entry resolves to: `data` on 2xx, `error` otherwise, and the `response`. */
export type ResultOf<C extends CallEntry> =
  | { data: C["data"]; error?: never; response: Response }
  | { data?: never; error: C["error"]; response: Response };

/** A method typed by a call map: the path picks the entry, which gives the arguments and the result. */
export type CourierMethodOf<C extends Record<keyof C, CallEntry>> = <P extends keyof C>(
  url: P,
  ...init: NoInfer<C[P]["args"]>
) => Promise<ResultOf<C[P]>>;

/**
 * A typed method: `courier.POST("/send", { body })`. The path picks the operation; its params, body,
 * `data` and `error` are looked up in the generated call map, which keeps a consumer's type-check cheap.
 */
export type CourierMethod<M extends HttpMethod> = {
  get: CourierMethodOf<CallMaps["get"]>;
  put: CourierMethodOf<CallMaps["put"]>;
  post: CourierMethodOf<CallMaps["post"]>;
  patch: CourierMethodOf<CallMaps["patch"]>;
  delete: CourierMethodOf<CallMaps["delete"]>;
}[M];
