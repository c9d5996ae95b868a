import type { CourierError } from "@courier-ts/core";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierQueries } from "../queries.js";
import type { Profile } from "../types.js";

/**
 * The signed-in user's Courier profile (`{}` before the first sync).
 *
 * @example
 * ```tsx
 * const { data: profile, isPending, error } = useProfile();
 * ```
 */
export function useProfile(): UseQueryResult<Profile, CourierError> {
  const { api } = useCourierContext();
  return useQuery(courierQueries.profile(api));
}
