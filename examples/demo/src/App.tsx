import {
  CourierProvider,
  courierKeys,
  useListSubscriptions,
  useMessage,
  useMessages,
  useProfile,
  useSendToSelf,
  useSubscribe,
  useUnsubscribe,
  useUpdateProfile,
} from "@courier-ts/react";
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body = response.status === 204 ? undefined : await response.json();
  if (!response.ok) {
    throw new Error((body as { message?: string })?.message ?? `${response.status}`);
  }
  return body as T;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Shell />
    </QueryClientProvider>
  );
}

function Shell() {
  const client = useQueryClient();
  const session = useQuery({
    queryKey: ["session"],
    queryFn: () => json<{ userId: string | null; courier: string }>("/api/session"),
  });
  const users = useQuery({
    queryKey: ["users"],
    queryFn: () => json<Array<{ id: string; name: string }>>("/api/demo/users"),
  });
  const pick = useMutation({
    mutationFn: (userId: string) => json("/api/session", { method: "POST", body: JSON.stringify({ userId }) }),
    onSuccess: async () => {
      // A new user: drop everything cached for the previous one.
      client.removeQueries({ queryKey: courierKeys.all });
      await client.invalidateQueries({ queryKey: ["session"] });
    },
  });
  const userId = session.data?.userId;
  return (
    <>
      <header>
        <h1>courier-ts demo</h1>
        <span className="muted" data-testid="courier-mode">
          Courier: {session.data?.courier ?? "…"}
        </span>
        <span className="users">
          {users.data?.map((u) => (
            <button
              type="button"
              key={u.id}
              aria-pressed={u.id === userId}
              data-testid={`pick-${u.id}`}
              onClick={() => pick.mutate(u.id)}
            >
              {u.name}
            </button>
          ))}
        </span>
      </header>
      {session.isPending ? <p>Loading session…</p> : null}
      {userId ? (
        <CourierProvider baseUrl="/api/courier" queryClient={client} key={userId}>
          <main>
            <ProfileCard userId={userId} />
            <ListsCard />
            <SendCard />
            <MessagesCard />
            <AdminCard />
          </main>
        </CourierProvider>
      ) : (
        <main>
          <section>
            <h2>Pick a demo user</h2>
            <p className="muted">The app signs you in with a cookie; Courier never sees a key in the browser.</p>
          </section>
        </main>
      )}
    </>
  );
}

function ProfileCard({ userId }: { userId: string }) {
  const profile = useProfile();
  const update = useUpdateProfile();
  const [draft, setDraft] = useState<Record<string, string>>({});
  // Email and phone come from the app's own user record through profile sync: Courier routes by them,
  // so the proxy keeps them read-only in the browser (a 403 if sent). Only the name is editable here.
  const fields = ["name"] as const;
  const readOnly = ["email", "phone_number"] as const;
  if (profile.isPending) {
    return <section data-testid="profile">Loading profile…</section>;
  }
  if (profile.error) {
    return (
      <section data-testid="profile" className="error">
        Profile failed: {profile.error.message}
      </section>
    );
  }
  const save = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(draft, { onSuccess: () => setDraft({}) });
  };
  return (
    <section data-testid="profile">
      <h2>Profile of {userId}</h2>
      <form onSubmit={save}>
        {fields.map((field) => (
          <label key={field}>
            {field}
            <input
              data-testid={`profile-${field}`}
              value={draft[field] ?? String(profile.data?.[field] ?? "")}
              onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
            />
          </label>
        ))}
        {readOnly.map((field) => (
          <label key={field}>
            {field}
            <input data-testid={`profile-${field}`} value={String(profile.data?.[field] ?? "")} readOnly />
            <span className="muted">from your account</span>
          </label>
        ))}
        <button type="submit" data-testid="profile-save" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save"}
        </button>
      </form>
      {update.isSuccess ? (
        <p className="muted" data-testid="profile-saved">
          Saved to Courier.
        </p>
      ) : null}
      {update.error ? <p className="error">Save failed: {update.error.message}</p> : null}
    </section>
  );
}

function ListsCard() {
  const subs = useListSubscriptions();
  const subscribe = useSubscribe();
  const unsubscribe = useUnsubscribe();
  if (subs.isPending) {
    return <section>Loading lists…</section>;
  }
  if (subs.error) {
    return <section className="error">Lists failed: {subs.error.message}</section>;
  }
  const mine = new Set(subs.data.results.map((l) => l.id));
  return (
    <section data-testid="lists">
      <h2>List subscriptions</h2>
      {(subs.data.available ?? []).map((listId) => (
        <label key={listId}>
          <input
            type="checkbox"
            data-testid={`list-${listId}`}
            checked={mine.has(listId)}
            disabled={subscribe.isPending || unsubscribe.isPending}
            onChange={(e) => (e.target.checked ? subscribe : unsubscribe).mutate({ listId })}
          />
          {listId}
        </label>
      ))}
      {subscribe.error || unsubscribe.error ? (
        <p className="error">{(subscribe.error ?? unsubscribe.error)?.message}</p>
      ) : null}
    </section>
  );
}

function SendCard() {
  const send = useSendToSelf();
  const [mode, setMode] = useState<"template" | "content">("template");
  const [template, setTemplate] = useState("WELCOME");
  const [title, setTitle] = useState("Hello from the demo");
  const [body, setBody] = useState("This message went through your own Express proxy.");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate(mode === "template" ? { template, data: { from: "demo" } } : { content: { title, body } });
  };
  return (
    <section data-testid="send">
      <h2>Send yourself a notification</h2>
      <form onSubmit={submit}>
        <label>
          <input
            type="radio"
            checked={mode === "template"}
            onChange={() => setMode("template")}
            data-testid="mode-template"
          />
          template
          <select value={template} onChange={(e) => setTemplate(e.target.value)} data-testid="send-template">
            <option>WELCOME</option>
            <option>ORDER_SHIPPED</option>
          </select>
        </label>
        <label>
          <input
            type="radio"
            checked={mode === "content"}
            onChange={() => setMode("content")}
            data-testid="mode-content"
          />
          inline content
        </label>
        {mode === "content" ? (
          <>
            <label>
              title <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="send-title" />
            </label>
            <label>
              body <textarea value={body} onChange={(e) => setBody(e.target.value)} data-testid="send-body" />
            </label>
          </>
        ) : null}
        <button type="submit" data-testid="send-submit" disabled={send.isPending}>
          {send.isPending ? "Sending…" : "Send"}
        </button>
      </form>
      {send.data ? (
        <p className="muted" data-testid="send-result">
          Sent: {send.data.requestId}
        </p>
      ) : null}
      {send.error ? <p className="error">Send failed: {send.error.message}</p> : null}
    </section>
  );
}

function MessagesCard() {
  const messages = useMessages({}, { refetchInterval: 2000 });
  const [open, setOpen] = useState<string>();
  if (messages.isPending) {
    return <section>Loading messages…</section>;
  }
  if (messages.error) {
    return <section className="error">Messages failed: {messages.error.message}</section>;
  }
  const all = messages.data.pages.flatMap((page) => page.results);
  return (
    <section data-testid="messages">
      <h2>
        Your messages ({all.length}){" "}
        <button type="button" onClick={() => messages.refetch()} data-testid="messages-refresh">
          Refresh
        </button>
      </h2>
      {all.length === 0 ? <p className="muted">No messages yet.</p> : null}
      <ul>
        {all.map((m) => (
          <li key={m.id} data-testid="message">
            <button type="button" onClick={() => setOpen(open === m.id ? undefined : m.id)}>
              {m.notification}
            </button>{" "}
            <span className="status">{m.status}</span> <span className="muted">{m.id}</span>
            {open === m.id ? <MessageDetail id={m.id} /> : null}
          </li>
        ))}
      </ul>
      {messages.hasNextPage ? (
        <button type="button" onClick={() => messages.fetchNextPage()}>
          Load more
        </button>
      ) : null}
    </section>
  );
}

function MessageDetail({ id }: { id: string }) {
  const message = useMessage(id, { refetchInterval: 1000 });
  if (message.isPending) {
    return <p className="muted">Loading history…</p>;
  }
  if (message.error) {
    return <p className="error">{message.error.message}</p>;
  }
  return (
    <div data-testid="message-detail">
      <p>
        Status:{" "}
        <span className="status" data-testid="detail-status">
          {message.data.message.status}
        </span>
      </p>
      <ol data-testid="history">
        {message.data.history.map((event) => (
          <li key={`${event.type}-${event.ts}`}>
            {event.type} <span className="muted">{event.ts ? new Date(event.ts).toLocaleTimeString() : ""}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function AdminCard() {
  const [listId, setListId] = useState("product-updates");
  const [template, setTemplate] = useState("ORDER_SHIPPED");
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
    <section data-testid="admin">
      <h2>Admin</h2>
      <label>
        Bulk send to list
        <select value={listId} onChange={(e) => setListId(e.target.value)} data-testid="bulk-list">
          <option>product-updates</option>
          <option>weekly-digest</option>
          <option>incidents</option>
        </select>
        <select value={template} onChange={(e) => setTemplate(e.target.value)}>
          <option>ORDER_SHIPPED</option>
          <option>WELCOME</option>
        </select>
      </label>
      <button type="button" onClick={() => bulk.mutate()} data-testid="bulk-run" disabled={bulk.isPending}>
        Run bulk job
      </button>
      {bulk.error ? <p className="error">Bulk failed: {bulk.error.message}</p> : null}
      {job.data ? (
        <p data-testid="bulk-status">
          Job {bulk.data?.jobId}: <span className="status">{job.data.job.status}</span>, {job.data.job.received}{" "}
          received, {job.data.job.enqueued} enqueued, {job.data.job.failures} failed
        </p>
      ) : null}
      <hr />
      <button
        type="button"
        onClick={() => automation.mutate()}
        data-testid="automation-run"
        disabled={automation.isPending}
      >
        Run automation (send, wait 5 s, send)
      </button>
      {automation.error ? <p className="error">Automation failed: {automation.error.message}</p> : null}
      {run.data ? (
        <ol data-testid="automation-steps">
          {run.data.steps.map((step) => (
            <li key={step.step_id}>
              {step.action}: <span className="status">{step.status}</span>
            </li>
          ))}
        </ol>
      ) : null}
      <hr />
      <button type="button" onClick={() => webhook.mutate()} data-testid="webhook-test">
        Deliver a signed test webhook
      </button>
      {webhook.data ? <p data-testid="webhook-result">Webhook verified and received.</p> : null}
      {webhook.error ? <p className="error">Webhook failed: {webhook.error.message}</p> : null}
    </section>
  );
}
