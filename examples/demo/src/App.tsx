import { CourierProvider, courierKeys } from "@courier-ts/react";
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { json, type Session } from "./api.ts";
import { Developer } from "./pages/Developer.tsx";
import { Inbox } from "./pages/Inbox.tsx";
import { Lists } from "./pages/Lists.tsx";
import { Preferences } from "./pages/Preferences.tsx";
import { Profile } from "./pages/Profile.tsx";

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });

const PAGES = [
  { id: "inbox", label: "Inbox" },
  { id: "preferences", label: "Preferences" },
  { id: "profile", label: "Profile" },
  { id: "lists", label: "Lists" },
  { id: "developer", label: "Developer tools" },
] as const;
type PageId = (typeof PAGES)[number]["id"];

function currentPage(): PageId {
  const id = window.location.hash.replace(/^#\/?/, "");
  return PAGES.some((p) => p.id === id) ? (id as PageId) : "inbox";
}

function useHashPage(): PageId {
  const [page, setPage] = useState(currentPage);
  useEffect(() => {
    const onChange = () => setPage(currentPage());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return page;
}

/**
 * Deliveries pushed by the server (from Courier's webhooks) refresh the inbox without a reload.
 *
 * The inbox is refetched without cancelling a fetch in flight (`cancelRefetch: false`): by default an
 * invalidation cancels a "Load more" under way, and the refetch that replaces it fetches only the pages
 * already loaded, so while deliveries stream in, the click would be lost. An event that arrives during a
 * fetch refetches once more when it has settled, as that fetch may have started before the change.
 */
function useLiveUpdates(userId: string | null | undefined) {
  const client = useQueryClient();
  useEffect(() => {
    if (!userId) {
      return;
    }
    const inbox = { queryKey: courierKeys.messages() };
    let pending = false;
    const refresh = () => {
      pending = client.isFetching(inbox) > 0;
      if (!pending) {
        void client.invalidateQueries(inbox, { cancelRefetch: false });
      }
    };
    const unsubscribe = client.getQueryCache().subscribe(() => {
      if (pending && client.isFetching(inbox) === 0) {
        refresh();
      }
    });
    const events = new EventSource("/api/events");
    events.addEventListener("message", (event) => {
      const { id } = JSON.parse((event as MessageEvent<string>).data) as { id?: string };
      refresh();
      if (id) {
        void client.invalidateQueries({ queryKey: courierKeys.message(id) });
      }
    });
    return () => {
      events.close();
      unsubscribe();
    };
  }, [client, userId]);
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
  const page = useHashPage();
  const session = useQuery({ queryKey: ["session"], queryFn: () => json<Session>("/api/session") });
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
  useLiveUpdates(userId);
  const courier = session.data?.courier;
  return (
    <>
      <header className="topbar">
        <a className="brand" href="#/inbox">
          <span className="logo" aria-hidden="true">
            A
          </span>
          Acme <span className="brand-sub">Notification center</span>
        </a>
        <span className="mode" data-testid="courier-mode" title={courier?.url}>
          {courier ? (courier.mode === "emulator" ? "Local Courier emulator" : `Courier API · ${courier.url}`) : "…"}
        </span>
        {users.data && userId ? (
          <label className="who">
            Signed in as
            <select
              value={userId}
              onChange={(e) => pick.mutate(e.target.value)}
              data-testid="user-select"
              disabled={pick.isPending}
            >
              {users.data.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </header>
      {session.error ? (
        <main className="narrow">
          <div className="card error-state" role="alert">
            <h1>The app's server is not answering</h1>
            <p>{session.error.message}</p>
            <button type="button" onClick={() => session.refetch()}>
              Try again
            </button>
          </div>
        </main>
      ) : session.isPending ? (
        <main className="narrow">
          <p className="muted">Loading…</p>
        </main>
      ) : userId ? (
        <CourierProvider baseUrl="/api/courier" queryClient={client} key={userId}>
          <div className="layout">
            <nav aria-label="Notification center">
              {PAGES.map((p) => (
                <a key={p.id} href={`#/${p.id}`} aria-current={p.id === page ? "page" : undefined}>
                  {p.label}
                </a>
              ))}
            </nav>
            <main>
              {page === "inbox" ? <Inbox polling={session.data?.liveUpdates === "polling"} /> : null}
              {page === "preferences" ? <Preferences /> : null}
              {page === "profile" ? <Profile userId={userId} /> : null}
              {page === "lists" ? <Lists /> : null}
              {page === "developer" ? <Developer userId={userId} /> : null}
            </main>
          </div>
        </CourierProvider>
      ) : (
        <main className="narrow">
          <section className="card signin">
            <h1>Sign in to Acme</h1>
            <p className="muted">
              Pick a demo user. The app signs you in with a cookie; the browser never sees a Courier key.
            </p>
            <div className="signin-users">
              {users.data?.map((u) => (
                <button type="button" key={u.id} data-testid={`pick-${u.id}`} onClick={() => pick.mutate(u.id)}>
                  {u.name}
                </button>
              ))}
            </div>
            {pick.error ? (
              <p className="error" role="alert">
                Sign-in failed: {pick.error.message}
              </p>
            ) : null}
          </section>
        </main>
      )}
    </>
  );
}
