import { useTyped } from "../typedClient.js";

type Q = ReturnType<typeof useTyped>["query"];

/**
 * Any GET of the Courier API, typed from the spec (openapi-react-query). Its query key is
 * `[method, path, init]`. It calls the provider's `apiBaseUrl`: Courier itself with a Courier-issued JWT
 * from `getToken`, or a pass-through proxy. Errors are thrown as `CourierApiError`s.
 *
 * @example
 * ```tsx
 * const { data } = useCourierQuery("get", "/users/{user_id}/preferences", { params: { path: { user_id } } });
 * ```
 */
export const useCourierQuery = ((...args: unknown[]) =>
  (useTyped().query.useQuery as (...a: unknown[]) => unknown)(...args)) as Q["useQuery"];

/**
 * Any mutation of the Courier API, typed from the spec.
 *
 * @example
 * ```tsx
 * const put = useCourierMutation("put", "/users/{user_id}/preferences/{topic_id}");
 * put.mutate({ params: { path: { user_id, topic_id } }, body: { topic: { status: "OPTED_OUT" } } });
 * ```
 */
export const useCourierMutation = ((...args: unknown[]) =>
  (useTyped().query.useMutation as (...a: unknown[]) => unknown)(...args)) as Q["useMutation"];
