/**
 * Next.js App Router's pattern, without Next: a "server" prefetches with `@courier-ts/react/server`
 * (query options + keys, no hooks) against the real proxy, dehydrates, and renders to HTML with
 * react-dom/server; the browser hydrates that HTML under `HydrationBoundary`. The page must match (no
 * hydration error), show the data without a loading state, and make no request for it on hydration.
 */
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { act, fireEvent, waitFor } from "@testing-library/react";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CourierProvider, useMessages, usePreferences, useUpdatePreference } from "../index.js";
import { courierQueries, createProxyApi } from "../server.js";
import { recordingFetch, seedPreferences, startBackend } from "./helpers.js";

let backend: Awaited<ReturnType<typeof startBackend>>;
beforeAll(async () => {
  backend = await startBackend();
  await seedPreferences(backend.client);
  for (let i = 0; i < 3; i++) {
    await backend.client.POST("/send", { body: { message: { to: { user_id: "alice" }, template: "WELCOME" } } });
  }
});
afterAll(() => backend.close());

function Page() {
  const preferences = usePreferences();
  const messages = useMessages();
  const update = useUpdatePreference();
  if (preferences.isPending || messages.isPending) {
    return <p>loading</p>;
  }
  return (
    <main>
      <ul>
        {preferences.data?.sections.flatMap((s) =>
          s.topics.map((t) => (
            <li key={t.topic_id}>
              <label>
                <input
                  type="checkbox"
                  id={t.topic_id}
                  checked={t.status !== "OPTED_OUT"}
                  onChange={(e) =>
                    update.mutate({ topicId: t.topic_id, status: e.target.checked ? "OPTED_IN" : "OPTED_OUT" })
                  }
                />
                {t.topic_name}
              </label>
            </li>
          )),
        )}
      </ul>
      <p id="count">{messages.data?.pages.flatMap((p) => p.results).length} messages</p>
    </main>
  );
}

/** The app's layout: a client QueryClient with a staleTime, as TanStack recommends for SSR. */
function App({
  state,
  queryClient,
  fetch,
}: {
  state: unknown;
  queryClient: QueryClient;
  fetch?: typeof globalThis.fetch;
}) {
  return (
    <CourierProvider baseUrl={backend.url} headers={{ "x-user": "alice" }} queryClient={queryClient} fetch={fetch}>
      <HydrationBoundary state={state as never}>
        <Page />
      </HydrationBoundary>
    </CourierProvider>
  );
}

const clientQueryClient = () => new QueryClient({ defaultOptions: { queries: { staleTime: 60_000, retry: false } } });

it("prefetches on the server, renders HTML, and hydrates it without a mismatch or a refetch", async () => {
  // Server: the request's cookie (here the test's x-user header) goes to the proxy.
  const serverQueryClient = new QueryClient();
  const api = createProxyApi({ baseUrl: backend.url, headers: { "x-user": "alice" } });
  await Promise.all([
    serverQueryClient.prefetchQuery(courierQueries.preferences(api)),
    serverQueryClient.prefetchInfiniteQuery(courierQueries.messages(api)),
  ]);
  // Next.js serialises the dehydrated state into the page.
  const state = JSON.parse(JSON.stringify(dehydrate(serverQueryClient)));
  const html = renderToString(<App state={state} queryClient={clientQueryClient()} />);
  expect(html).not.toContain("loading");
  expect(html).toContain("Security alerts");
  expect(html).toContain("3<!-- --> messages");

  // Browser: hydrate the server's HTML.
  const container = document.createElement("div");
  container.innerHTML = html;
  document.body.appendChild(container);
  const calls: string[] = [];
  const errors: unknown[] = [];
  const root = await act(async () =>
    hydrateRoot(container, <App state={state} queryClient={clientQueryClient()} fetch={recordingFetch(calls)} />, {
      onRecoverableError: (error) => errors.push(error),
    }),
  );
  expect(errors).toEqual([]);
  const parsed = document.createElement("div");
  parsed.innerHTML = html;
  expect(container.innerHTML).toBe(parsed.innerHTML);
  expect(calls).toEqual([]);

  // Hydrated and live: a change goes through the proxy.
  const tips = container.querySelector<HTMLInputElement>("#tips");
  expect(tips?.checked).toBe(false);
  await act(async () => {
    fireEvent.click(tips as HTMLInputElement);
  });
  await waitFor(() => expect(calls).toContain("PUT /preferences/tips"));
  await waitFor(() => expect(container.querySelector<HTMLInputElement>("#tips")?.checked).toBe(true));
  act(() => root.unmount());
  container.remove();
});
