import { type Message, type MessageFilters, useMessage, useMessages, useSendToSelf } from "@courier-ts/react";
import { useState } from "react";
import { ago, HISTORY, messageTitle, statusLabel } from "../labels.ts";

const VIEWS: Array<{ id: string; label: string; status?: MessageFilters["status"] }> = [
  { id: "all", label: "All" },
  { id: "delivered", label: "Delivered", status: ["DELIVERED", "OPENED", "CLICKED"] },
  { id: "pending", label: "On the way", status: ["ENQUEUED", "ROUTED", "SENT", "DELAYED", "THROTTLED"] },
  { id: "not-sent", label: "Not sent", status: ["FILTERED", "UNDELIVERABLE", "UNROUTABLE", "CANCELED"] },
];

export function Inbox({ polling }: { polling: boolean }) {
  const [view, setView] = useState("all");
  const [archived, setArchived] = useState(false);
  const status = VIEWS.find((v) => v.id === view)?.status;
  // With webhooks the server pushes changes; without them the inbox polls.
  const messages = useMessages({ status, archived }, { refetchInterval: polling ? 2_000 : false });
  const send = useSendToSelf();
  const all = messages.data?.pages.flatMap((page) => page.results) ?? [];
  return (
    <section aria-labelledby="inbox-title">
      <div className="page-head">
        <div>
          <h1 id="inbox-title">Inbox</h1>
          <p className="muted">Everything Acme sent you, newest first.</p>
        </div>
        <button
          type="button"
          className="primary"
          data-testid="send-test"
          disabled={send.isPending}
          onClick={() => send.mutate({ template: "WELCOME" })}
        >
          {send.isPending ? "Sending…" : "Send me a test notification"}
        </button>
      </div>
      <div className="toolbar">
        <fieldset className="segmented">
          <legend className="sr-only">Show</legend>
          {VIEWS.map((v) => (
            <label key={v.id} className={v.id === view ? "on" : undefined}>
              <input
                type="radio"
                name="inbox-view"
                value={v.id}
                checked={v.id === view}
                onChange={() => setView(v.id)}
                data-testid={`view-${v.id}`}
              />
              {v.label}
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} />
          Include archived
        </label>
      </div>
      {send.error ? (
        <p className="error" role="alert">
          Could not send: {send.error.message}
        </p>
      ) : null}
      {messages.isPending ? (
        <div className="card">
          <p className="muted">Loading your notifications…</p>
        </div>
      ) : messages.error ? (
        <div className="card error-state" role="alert">
          <h2>Your inbox could not be loaded</h2>
          <p>{messages.error.message}</p>
          <button type="button" onClick={() => messages.refetch()}>
            Try again
          </button>
        </div>
      ) : all.length === 0 ? (
        <div className="card empty" data-testid="inbox-empty">
          <h2>You're all caught up</h2>
          <p className="muted">
            {view === "all"
              ? "Nothing here yet. Send yourself a test notification above."
              : "No notifications in this view."}
          </p>
        </div>
      ) : (
        <>
          <ul className="messages card" data-testid="messages">
            {all.map((m) => (
              <MessageRow key={m.id} message={m} />
            ))}
          </ul>
          <div className="more">
            <span className="muted" data-testid="inbox-count">
              Showing {all.length} {all.length === 1 ? "notification" : "notifications"}
            </span>
            {messages.hasNextPage ? (
              <button
                type="button"
                onClick={() => messages.fetchNextPage()}
                disabled={messages.isFetchingNextPage}
                data-testid="inbox-load-more"
              >
                {messages.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}

function MessageRow({ message }: { message: Message }) {
  const [open, setOpen] = useState(false);
  const status = statusLabel(message.status);
  const detailsId = `details-${message.id}`;
  return (
    <li className="message" data-testid="message">
      <div className="message-main">
        <span className={`dot ${status.tone}`} aria-hidden="true" />
        <div className="message-text">
          <strong>{messageTitle(message)}</strong>
          <span className="muted">{ago(message.enqueued)}</span>
        </div>
        <span className={`pill ${status.tone}`} data-testid="message-status">
          {status.label}
        </span>
        <button
          type="button"
          className="link"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={() => setOpen(!open)}
        >
          {open ? "Hide details" : "Details"}
        </button>
      </div>
      {open ? <MessageDetail id={message.id} domId={detailsId} /> : null}
    </li>
  );
}

function MessageDetail({ id, domId }: { id: string; domId: string }) {
  const message = useMessage(id, { refetchInterval: 1_000 });
  if (message.isPending) {
    return (
      <p className="muted detail" id={domId}>
        Loading its history…
      </p>
    );
  }
  if (message.error) {
    return (
      <p className="error detail" id={domId} role="alert">
        {message.error.message}
      </p>
    );
  }
  return (
    <div className="detail" id={domId} data-testid="message-detail">
      <ol className="timeline" data-testid="history">
        {message.data.history.map((event) => (
          <li key={`${event.type}-${event.ts}`}>
            <span>{HISTORY[event.type ?? ""] ?? event.type}</span>
            <span className="muted">{event.ts ? new Date(event.ts).toLocaleTimeString() : ""}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
