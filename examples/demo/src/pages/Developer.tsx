import { useCourierToken, useSendToSelf } from "@courier-ts/react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { json } from "../api.ts";
import { LISTS, TEMPLATES, type TemplateId } from "../catalog.ts";

export function Developer({ userId }: { userId: string }) {
  return (
    <section aria-labelledby="dev-title">
      <div className="page-head">
        <div>
          <h1 id="dev-title">Developer tools</h1>
          <p className="muted">Send notifications, get a Courier token, and run the admin flows.</p>
        </div>
      </div>
      <div className="grid">
        <SendCard />
        <TokenCard userId={userId} />
        <AdminCard />
      </div>
    </section>
  );
}

function SendCard() {
  const send = useSendToSelf();
  const [mode, setMode] = useState<"template" | "content">("template");
  const [template, setTemplate] = useState<TemplateId>("ORDER_SHIPPED");
  const [title, setTitle] = useState("Hello from the demo");
  const [body, setBody] = useState("This message went through your own Express proxy.");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate(mode === "template" ? { template, data: { from: "demo" } } : { content: { title, body } });
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="send">
      <h2>Send yourself a notification</h2>
      <fieldset className="segmented">
        <legend className="sr-only">What to send</legend>
        <label className={mode === "template" ? "on" : undefined}>
          <input
            type="radio"
            checked={mode === "template"}
            onChange={() => setMode("template")}
            data-testid="mode-template"
          />
          A template
        </label>
        <label className={mode === "content" ? "on" : undefined}>
          <input
            type="radio"
            checked={mode === "content"}
            onChange={() => setMode("content")}
            data-testid="mode-content"
          />
          Your own words
        </label>
      </fieldset>
      {mode === "template" ? (
        <>
          <label htmlFor="send-template">Template</label>
          <select
            id="send-template"
            value={template}
            onChange={(e) => setTemplate(e.target.value as TemplateId)}
            data-testid="send-template"
          >
            {Object.entries(TEMPLATES).map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </>
      ) : (
        <>
          <label htmlFor="send-title">Title</label>
          <input id="send-title" value={title} onChange={(e) => setTitle(e.target.value)} data-testid="send-title" />
          <label htmlFor="send-body">Message</label>
          <textarea id="send-body" value={body} onChange={(e) => setBody(e.target.value)} data-testid="send-body" />
        </>
      )}
      <div className="actions">
        <button type="submit" className="primary" data-testid="send-submit" disabled={send.isPending}>
          {send.isPending ? "Sending…" : "Send"}
        </button>
        {send.data ? (
          <span className="muted" data-testid="send-result" aria-live="polite">
            Sent. <a href="#/inbox">See it in your inbox</a>
          </span>
        ) : null}
      </div>
      {send.error ? (
        <p className="error" role="alert">
          Could not send: {send.error.message}
        </p>
      ) : null}
    </form>
  );
}

function claimsOf(token: string): { scope?: string; exp?: number } {
  try {
    return JSON.parse(atob((token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    return {};
  }
}

function TokenCard({ userId }: { userId: string }) {
  const [wanted, setWanted] = useState(false);
  const token = useCourierToken({ enabled: wanted });
  const claims = token.data ? claimsOf(token.data.token) : undefined;
  return (
    <div className="card form" data-testid="token">
      <h2>Courier token</h2>
      <p className="muted small">
        A short-lived JWT for {userId} only, issued by the app's server, for Courier's own Inbox and Toast components.
        It is renewed before it expires.
      </p>
      {wanted ? null : (
        <div className="actions">
          <button type="button" onClick={() => setWanted(true)} data-testid="token-get">
            Get a token
          </button>
        </div>
      )}
      {token.isFetching && !token.data ? <p className="muted">Asking the server…</p> : null}
      {token.error ? (
        <p className="error" role="alert">
          No token: {token.error.message}
        </p>
      ) : null}
      {token.data && claims ? (
        <dl className="facts" data-testid="token-details">
          <dt>Scopes</dt>
          <dd data-testid="token-scope">{claims.scope}</dd>
          <dt>Expires</dt>
          <dd>{new Date(token.data.expiresAt).toLocaleTimeString()}</dd>
          <dt>Token</dt>
          <dd className="mono">{`${token.data.token.slice(0, 24)}…`}</dd>
        </dl>
      ) : null}
    </div>
  );
}

/** "COMPLETED" → "Completed". */
const readable = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase().replace(/_/g, " ");
const STEP: Record<string, string> = {
  send: "Send",
  delay: "Wait",
  PROCESSED: "Done",
  WAITING: "Waiting",
  NOT_PROCESSED: "Not yet",
};

function AdminCard() {
  const [listId, setListId] = useState("product-updates");
  const [template, setTemplate] = useState<TemplateId>("WEEKLY_DIGEST");
  const bulk = useMutation({
    mutationFn: () =>
      json<{ jobId: string; recipients: number }>("/api/admin/bulk", {
        method: "POST",
        body: JSON.stringify({ listId, template }),
      }),
  });
  const job = useQuery({
    queryKey: ["bulk", bulk.data?.jobId],
    enabled: Boolean(bulk.data?.jobId),
    refetchInterval: 1000,
    queryFn: () =>
      json<{ job: { status: string; received: number; enqueued: number; failures: number } }>(
        `/api/admin/bulk/${bulk.data?.jobId}`,
      ),
  });
  const automation = useMutation({
    mutationFn: () =>
      json<{ runId: string }>("/api/admin/automation", {
        method: "POST",
        body: JSON.stringify({ delay: "5 seconds" }),
      }),
  });
  const run = useQuery({
    queryKey: ["run", automation.data?.runId],
    enabled: Boolean(automation.data?.runId),
    refetchInterval: 1000,
    queryFn: () =>
      json<{ steps: Array<{ step_id: string; action: string; status: string }> }>(
        `/api/admin/automation/${automation.data?.runId}`,
      ),
  });
  const webhook = useMutation({
    mutationFn: () => json<{ received: boolean }>("/api/admin/webhooks/test", { method: "POST" }),
  });
  return (
    <div className="card form wide" data-testid="admin">
      <h2>Admin</h2>
      <div className="row">
        <label htmlFor="bulk-list">Send to everyone on</label>
        <select id="bulk-list" value={listId} onChange={(e) => setListId(e.target.value)} data-testid="bulk-list">
          {Object.entries(LISTS).map(([id, list]) => (
            <option key={id} value={id}>
              {list.name}
            </option>
          ))}
        </select>
        <label htmlFor="bulk-template">the template</label>
        <select id="bulk-template" value={template} onChange={(e) => setTemplate(e.target.value as TemplateId)}>
          {Object.entries(TEMPLATES).map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => bulk.mutate()} data-testid="bulk-run" disabled={bulk.isPending}>
          Run bulk job
        </button>
      </div>
      {bulk.error ? <p className="error">Bulk send failed: {bulk.error.message}</p> : null}
      {job.data ? (
        <p data-testid="bulk-status">
          Bulk job: <span className="status">{readable(job.data.job.status)}</span>, {job.data.job.received} received,{" "}
          {job.data.job.enqueued} enqueued, {job.data.job.failures} failed
        </p>
      ) : null}
      <div className="row">
        <button
          type="button"
          onClick={() => automation.mutate()}
          data-testid="automation-run"
          disabled={automation.isPending}
        >
          Run an automation (send, wait 5 s, send)
        </button>
        <button type="button" onClick={() => webhook.mutate()} data-testid="webhook-test">
          Deliver a signed test webhook
        </button>
      </div>
      {automation.error ? <p className="error">Automation failed: {automation.error.message}</p> : null}
      {run.data ? (
        <ol data-testid="automation-steps">
          {run.data.steps.map((step) => (
            <li key={step.step_id}>
              {STEP[step.action] ?? readable(step.action)}:{" "}
              <span className="status">{STEP[step.status] ?? readable(step.status)}</span>
            </li>
          ))}
        </ol>
      ) : null}
      {webhook.data ? <p data-testid="webhook-result">Webhook verified and received.</p> : null}
      {webhook.error ? <p className="error">Webhook failed: {webhook.error.message}</p> : null}
    </div>
  );
}
