import type { CourierError, PreferencesResponse } from "@courier-ts/core";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierQueries } from "../queries.js";

/**
 * The signed-in user's notification preferences: the workspace's sections, each with its topics, the
 * user's status for each (`OPTED_IN`, `OPTED_OUT`, or `REQUIRED`) and the channels they may pick.
 *
 * @example
 * ```tsx
 * const { data } = usePreferences();
 * data?.sections.map((s) => s.topics.map((t) => `${s.section_name}: ${t.topic_name} ${t.status}`));
 * ```
 */
export function usePreferences(): UseQueryResult<PreferencesResponse, CourierError> {
  const { api } = useCourierContext();
  return useQuery(courierQueries.preferences(api));
}
