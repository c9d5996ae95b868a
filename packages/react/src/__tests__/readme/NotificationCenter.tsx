import {
  CourierProvider,
  type TopicPreference,
  useMessages,
  usePreferences,
  useUpdatePreference,
} from "../../index.js";

export function NotificationCenter() {
  return (
    <CourierProvider baseUrl="/api/courier">
      <PreferencesPage />
      <Inbox />
    </CourierProvider>
  );
}

function PreferencesPage() {
  const { data, isPending, error } = usePreferences();
  if (isPending) {
    return <p>Loading…</p>;
  }
  if (error) {
    return <p role="alert">{error.message}</p>; // a CourierError
  }
  return data.sections.map((section) => (
    <fieldset key={section.section_id}>
      <legend>{section.section_name}</legend>
      {section.topics.map((topic) => (
        <Topic key={topic.topic_id} topic={topic} />
      ))}
    </fieldset>
  ));
}

function Topic({ topic }: { topic: TopicPreference }) {
  const update = useUpdatePreference(); // optimistic; rolls back if the server refuses
  return (
    <label>
      <input
        type="checkbox"
        checked={topic.status !== "OPTED_OUT"}
        disabled={topic.status === "REQUIRED"} // required topics cannot be turned off
        onChange={(e) =>
          update.mutate({ topicId: topic.topic_id, status: e.target.checked ? "OPTED_IN" : "OPTED_OUT" })
        }
      />
      {topic.topic_name}
      {update.error ? <span role="alert"> Not saved: {update.error.message}</span> : null}
    </label>
  );
}

function Inbox() {
  const { data, fetchNextPage, hasNextPage, isFetchingNextPage } = useMessages({ archived: false });
  const messages = data?.pages.flatMap((page) => page.results) ?? [];
  if (data && messages.length === 0) {
    return <p>You're all caught up.</p>;
  }
  return (
    <>
      <ul>
        {messages.map((m) => (
          <li key={m.id}>
            {m.notification}: {m.status}
          </li>
        ))}
      </ul>
      {hasNextPage ? (
        <button type="button" disabled={isFetchingNextPage} onClick={() => fetchNextPage()}>
          Load more
        </button>
      ) : null}
    </>
  );
}
