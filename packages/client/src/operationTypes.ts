/**
 * The typed surface of the client's methods, written for cheap type-checking.
 *
 * openapi-fetch's own method types recompute large generic helpers on every call, which roughly
 * doubled a consumer's check time (measured in `pnpm bench cost`). These types read each operation
 * straight from the generated `paths`, with one small conditional per concern, and give the same
 * results: typed path/query params, body, `data` for 2xx and `error` for every other response.
 */
import type { paths } from "@courier-ts/core";
import type { CourierRequestOptions, HeadersInit, ParseAs } from "./options.js";

/** HTTP methods with typed helpers. */
export type HttpMethod = "get" | "put" | "post" | "patch" | "delete";

/** Every path that has an operation for `M`. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];

/** The operation object of a path and method. */
export type OperationOf<P extends keyof paths, M extends HttpMethod> = paths[P][M & keyof paths[P]];

type JsonOf<T> = T extends { content: { "application/json": infer B } } ? B : undefined;
type Parameters<O> = O extends { parameters: infer X } ? X : never;
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206;

type PathPart<X> = X extends { path: infer Pa } ? ([Pa] extends [undefined] ? object : { path: Pa }) : object;
type QueryPart<X> = X extends { query?: infer Q }
  ? [Q] extends [undefined]
    ? object
    : object extends NonNullable<Q>
      ? { query?: NonNullable<Q> }
      : { query: NonNullable<Q> }
  : object;
type ParamsOf<O> = PathPart<Parameters<O>> & QueryPart<Parameters<O>>;

type BodyPart<O> = O extends { requestBody: infer R }
  ? [R] extends [undefined]
    ? object
    : { body: JsonOf<R> }
  : O extends { requestBody?: infer R }
    ? [R] extends [undefined]
      ? object
      : { body?: JsonOf<NonNullable<R>> }
    : object;

type ParamsPart<O> = object extends ParamsOf<O> ? { params?: ParamsOf<O> } : { params: ParamsOf<O> };

/** Everything a call takes: params, body, headers and the client's per-call options. */
export type CallInit<O> = ParamsPart<O> &
  BodyPart<O> &
  CourierRequestOptions & {
    headers?: HeadersInit;
    baseUrl?: string;
    parseAs?: ParseAs;
  };

type Responses<O> = O extends { responses: infer R } ? R : never;

/** The JSON body of every 2xx response (`undefined` for 204). */
export type SuccessData<O> = {
  [S in keyof Responses<O>]: S extends SuccessStatus ? JsonOf<Responses<O>[S]> : never;
}[keyof Responses<O>];

/** The JSON body of every non-2xx response the spec declares (always includes `{ message, type }`). */
export type ErrorData<O> = {
  [S in keyof Responses<O>]: S extends SuccessStatus ? never : JsonOf<Responses<O>[S]>;
}[keyof Responses<O>];

/** openapi-fetch's result shape: `data` on 2xx, `error` otherwise, and the `response`. */
export type CallResult<O> =
  | { data: SuccessData<O>; error?: never; response: Response }
  | { data?: never; error: ErrorData<O>; response: Response };

type InitArgs<O> = object extends CallInit<O> ? [init?: CallInit<O>] : [init: CallInit<O>];

/** A typed method: `courier.POST("/send", { body })`. */
export type CourierMethod<M extends HttpMethod> = <P extends PathsWith<M>>(
  url: P,
  ...init: InitArgs<OperationOf<P, M>>
) => Promise<CallResult<OperationOf<P, M>>>;
