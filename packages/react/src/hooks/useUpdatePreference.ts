import { CourierError, type PreferencesResponse, type PreferenceUpdate, type TopicPreference } from "@courier-ts/core";
import { type QueryClient, type UseMutationResult, useMutation, useQueryClient } from "@tanstack/react-query";
import { useCourierContext } from "../context.js";
import { courierKeys } from "../keys.js";

/** What `useUpdatePreference` takes: the topic and the user's new choice for it. */
export type UpdatePreferenceInput = PreferenceUpdate & { topicId: string };

function findTopic(data: PreferencesResponse | undefined, topicId: string): TopicPreference | undefined {
  return data?.sections.flatMap((s) => s.topics).find((t) => t.topic_id === topicId);
}

/** Replaces one topic in the cached preferences (only that topic: other pending changes stay). */
function putTopic(queryClient: QueryClient, topicId: string, change: (topic: TopicPreference) => TopicPreference) {
  queryClient.setQueryData<PreferencesResponse>(courierKeys.preferences(), (data) =>
    data
      ? {
          sections: data.sections.map((s) => ({
            ...s,
            topics: s.topics.map((t) => (t.topic_id === topicId ? change(t) : t)),
          })),
        }
      : data,
  );
}

/**
 * Sets the user's status (and optionally channels) for one topic. The cached preferences change at
 * once and roll back if the server refuses. A `REQUIRED` topic cannot be opted out: the hook refuses
 * without calling the server (which would refuse too).
 *
 * @example
 * ```tsx
 * const update = useUpdatePreference();
 * <input type="checkbox" checked={topic.status !== "OPTED_OUT"} disabled={topic.status === "REQUIRED"}
 *   onChange={(e) => update.mutate({ topicId: topic.topic_id, status: e.target.checked ? "OPTED_IN" : "OPTED_OUT" })} />
 * ```
 */
export function useUpdatePreference(): UseMutationResult<
  { topic: TopicPreference },
  CourierError,
  UpdatePreferenceInput,
  { previous: TopicPreference | undefined }
> {
  const { api } = useCourierContext();
  const queryClient = useQueryClient();
  const required = (topicId: string) =>
    findTopic(queryClient.getQueryData(courierKeys.preferences()), topicId)?.default_status === "REQUIRED";
  return useMutation({
    mutationFn: ({ topicId, ...update }) => {
      if (update.status === "OPTED_OUT" && required(topicId)) {
        return Promise.reject(
          new CourierError("This notification is required and cannot be turned off", { code: "preference_required" }),
        );
      }
      return api.call("updatePreference", { params: { topicId }, body: update });
    },
    onMutate: async ({ topicId, status, custom_routing }) => {
      await queryClient.cancelQueries({ queryKey: courierKeys.preferences() });
      const previous = findTopic(queryClient.getQueryData(courierKeys.preferences()), topicId);
      if (previous && !(status === "OPTED_OUT" && previous.default_status === "REQUIRED")) {
        putTopic(queryClient, topicId, (topic) => ({
          ...topic,
          status: topic.default_status === "REQUIRED" ? "REQUIRED" : status,
          ...(custom_routing ? { custom_routing, has_custom_routing: true } : {}),
        }));
      }
      return { previous };
    },
    onError: (_error, { topicId }, context) => {
      const previous = context?.previous;
      if (previous) {
        putTopic(queryClient, topicId, () => previous);
      }
    },
    onSuccess: ({ topic }, { topicId }) => {
      putTopic(queryClient, topicId, () => topic);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: courierKeys.preferences() }),
  });
}
