import {
  type PreferenceChannel,
  type PreferenceSection,
  type TopicPreference,
  usePreferences,
  useUpdatePreference,
} from "@courier-ts/react";
import { channelLabel } from "../labels.ts";

export function Preferences() {
  const preferences = usePreferences();
  const update = useUpdatePreference();
  return (
    <section aria-labelledby="prefs-title">
      <div className="page-head">
        <div>
          <h1 id="prefs-title">Notification preferences</h1>
          <p className="muted">Choose what Acme sends you, and how. Changes save as you make them.</p>
        </div>
        <p className="save-state" aria-live="polite" data-testid="prefs-save-state">
          {update.isPending ? "Saving…" : update.isError ? "" : update.isSuccess ? "All changes saved" : ""}
        </p>
      </div>
      {update.error ? (
        <p className="error" role="alert" data-testid="prefs-error">
          That change was not saved: {update.error.message}
        </p>
      ) : null}
      {preferences.isPending ? (
        <div className="card">
          <p className="muted">Loading your preferences…</p>
        </div>
      ) : preferences.error ? (
        <div className="card error-state" role="alert">
          <h2>Your preferences could not be loaded</h2>
          <p>{preferences.error.message}</p>
          <button type="button" onClick={() => preferences.refetch()}>
            Try again
          </button>
        </div>
      ) : preferences.data.sections.length === 0 ? (
        <div className="card empty">
          <h2>Nothing to set yet</h2>
          <p className="muted">This workspace has no preference topics.</p>
        </div>
      ) : (
        preferences.data.sections.map((section) => (
          <Section
            key={section.section_id}
            section={section}
            onChange={(topic, status, channels) =>
              update.mutate({ topicId: topic.topic_id, status, custom_routing: channels })
            }
          />
        ))
      )}
    </section>
  );
}

type Change = (topic: TopicPreference, status: "OPTED_IN" | "OPTED_OUT", channels?: PreferenceChannel[]) => void;

function Section({ section, onChange }: { section: PreferenceSection; onChange: Change }) {
  const headingId = `section-${section.section_id}`;
  return (
    <section className="card section" aria-labelledby={headingId} data-testid={`section-${section.section_id}`}>
      <h2 id={headingId}>{section.section_name}</h2>
      <ul className="topics">
        {section.topics.map((topic) => (
          <Topic key={topic.topic_id} topic={topic} onChange={onChange} />
        ))}
      </ul>
    </section>
  );
}

function Topic({ topic, onChange }: { topic: TopicPreference; onChange: Change }) {
  const required = topic.status === "REQUIRED";
  const on = topic.status !== "OPTED_OUT";
  const id = `topic-${topic.topic_id}`;
  // Without a choice of their own, the user gets every channel the topic offers.
  const channels = topic.has_custom_routing ? topic.custom_routing : topic.routing_options;
  const setChannel = (channel: PreferenceChannel, checked: boolean) => {
    const next = topic.routing_options.filter((c) => (c === channel ? checked : channels.includes(c)));
    onChange(topic, next.length === 0 && !required ? "OPTED_OUT" : "OPTED_IN", next.length > 0 ? next : undefined);
  };
  return (
    <li className="topic" data-testid={id}>
      <div className="topic-row">
        <div>
          <label htmlFor={id} className="topic-name">
            {topic.topic_name}
          </label>
          {required ? <span className="pill muted">Required</span> : null}
          {topic.description ? (
            <p className="muted small" id={`${id}-description`}>
              {topic.description}
            </p>
          ) : null}
        </div>
        <input
          id={id}
          type="checkbox"
          className="switch"
          checked={on}
          disabled={required}
          aria-describedby={topic.description ? `${id}-description` : undefined}
          title={required ? "Required: this cannot be turned off" : undefined}
          onChange={(e) => onChange(topic, e.target.checked ? "OPTED_IN" : "OPTED_OUT")}
          data-testid={`${id}-toggle`}
        />
      </div>
      {on && topic.routing_options.length > 0 ? (
        <fieldset className="channels">
          <legend className="small muted">Send it by</legend>
          {topic.routing_options.map((channel) => (
            <label key={channel} className="check">
              <input
                type="checkbox"
                checked={channels.includes(channel)}
                onChange={(e) => setChannel(channel, e.target.checked)}
                data-testid={`${id}-${channel}`}
                disabled={required && channels.length === 1 && channels.includes(channel)}
              />
              {channelLabel(channel)}
            </label>
          ))}
        </fieldset>
      ) : null}
    </li>
  );
}
