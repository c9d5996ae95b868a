import type { CourierError, CourierTokenResponse } from "@courier-ts/core";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierQueries } from "../queries.js";

/**
 * A Courier JWT for the signed-in user, from the proxy's `POST /token`, for apps that also use
 * Courier's own web components (Inbox, Toast). It is fetched again shortly before it expires (a tenth
 * of its life, at most a minute, before), also while the tab is in the background.
 *
 * @example
 * ```tsx
 * const { data } = useCourierToken();
 * return data ? <courier-inbox user-id={userId} jwt={data.token} /> : null;
 * ```
 */
export function useCourierToken(
  options: { enabled?: boolean } = {},
): UseQueryResult<CourierTokenResponse, CourierError> {
  const { api } = useCourierContext();
  return useQuery({ ...courierQueries.courierToken(api), enabled: options.enabled });
}
