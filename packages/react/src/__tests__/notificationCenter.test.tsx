/**
 * The notification-center hooks (preferences, message filters and paging, push tokens, the Courier
 * token, Suspense), rendered in jsdom against a real Express proxy with the emulator behind it on
 * 127.0.0.1. Real HTTP, no mocked fetch.
 */
import { unwrap } from "@courier-ts/client";
import { QueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { act, fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import { Suspense } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import {
  courierKeys,
  courierQueries,
  type PreferencesResponse,
  useCourierApi,
  useCourierToken,
  useMessages,
  usePreferences,
  useRegisterPushToken,
  useUnregisterPushToken,
  useUpdatePreference,
} from "../index.js";
import { recordingFetch, seedPreferences, slowWrites, startBackend, testBackend, wrapper } from "./helpers.js";

const backend = testBackend();
beforeEach(() => seedPreferences(backend.current.client));

const newQueryClient = () => new QueryClient({ defaultOptions: { queries: { retry: false } } });

async function serverStatus(user: string, topic: string) {
  const data = await unwrap(
    backend.current.client.GET("/users/{user_id}/preferences/{topic_id}", {
      params: { path: { user_id: user, topic_id: topic } },
    }),
  );
  return data.topic.status;
}

function PreferencesPage() {
  const { data, isPending, error } = usePreferences();
  const update = useUpdatePreference();
  if (isPending) {
    return <p>loading</p>;
  }
  if (error) {
    return <p role="alert">{error.message}</p>;
  }
  return (
    <div>
      {data.sections.map((section) => (
        <fieldset key={section.section_id}>
          <legend>{section.section_name}</legend>
          {section.topics.map((topic) => (
            <label key={topic.topic_id}>
              <input
                type="checkbox"
                checked={topic.status !== "OPTED_OUT"}
                disabled={topic.status === "REQUIRED"}
                onChange={(e) =>
                  update.mutate({ topicId: topic.topic_id, status: e.target.checked ? "OPTED_IN" : "OPTED_OUT" })
                }
              />
              {topic.topic_name}
            </label>
          ))}
        </fieldset>
      ))}
      {update.error ? <p role="alert">{update.error.message}</p> : null}
    </div>
  );
}

describe("usePreferences / useUpdatePreference", () => {
  it("shows the topics by section; a change shows at once and is saved", async () => {
    render(<PreferencesPage />, { wrapper: wrapper(backend.current.url, "alice", newQueryClient(), slowWrites(300)) });
    expect(screen.getByText("loading")).toBeTruthy();
    const tips = (await screen.findByLabelText("Tips and tricks")) as HTMLInputElement;
    expect(screen.getAllByRole("group").map((g) => g.querySelector("legend")?.textContent)).toEqual([
      "Account",
      "Product updates",
    ]);
    expect(tips.checked).toBe(false);
    expect((screen.getByLabelText("Security alerts") as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(tips);
    // Optimistic: checked before the server has it.
    await waitFor(() => expect((screen.getByLabelText("Tips and tricks") as HTMLInputElement).checked).toBe(true));
    expect(await serverStatus("alice", "tips")).toBe("OPTED_OUT");
    await waitFor(async () => expect(await serverStatus("alice", "tips")).toBe("OPTED_IN"));
    expect(await serverStatus("bob", "tips")).toBe("OPTED_OUT");
  });

  it("rolls back when the server refuses (the topic was removed meanwhile) and shows the error", async () => {
    const queryClient = newQueryClient();
    render(<PreferencesPage />, { wrapper: wrapper(backend.current.url, "alice", queryClient, slowWrites(300)) });
    const news = (await screen.findByLabelText("Product news")) as HTMLInputElement;
    expect(news.checked).toBe(true);
    await unwrap(
      backend.current.client.DELETE("/preferences/sections/{section_id}/topics/{topic_id}", {
        params: { path: { section_id: "updates", topic_id: "news" } },
      }),
    );
    fireEvent.click(news);
    await waitFor(() => expect((screen.getByLabelText("Product news") as HTMLInputElement).checked).toBe(false));
    expect((await screen.findByRole("alert")).textContent).toContain("404");
    // Rolled back, then refetched: the topic is gone from the page.
    await waitFor(() => expect(screen.queryByLabelText("Product news")).toBeNull());
  });

  it("rolls back a refused channel choice in the cache and keeps the server unchanged", async () => {
    const queryClient = newQueryClient();
    const { result } = renderHook(() => ({ prefs: usePreferences(), update: useUpdatePreference() }), {
      wrapper: wrapper(backend.current.url, "alice", queryClient, slowWrites(200)),
    });
    await waitFor(() => expect(result.current.prefs.isSuccess).toBe(true));
    const billing = () =>
      queryClient
        .getQueryData<PreferencesResponse>(courierKeys.preferences())
        ?.sections.flatMap((s) => s.topics)
        .find((t) => t.topic_id === "billing");
    let refused: unknown;
    await act(async () => {
      const pending = result.current.update
        .mutateAsync({ topicId: "billing", status: "OPTED_OUT", custom_routing: ["sms"] })
        .catch((error: unknown) => {
          refused = error;
        });
      await waitFor(() => expect(billing()).toMatchObject({ status: "OPTED_OUT", custom_routing: ["sms"] }));
      await pending;
    });
    expect(refused).toMatchObject({ status: 400 });
    expect(billing()).toMatchObject({ status: "OPTED_IN", custom_routing: [], has_custom_routing: false });
    expect(await serverStatus("alice", "billing")).toBe("OPTED_IN");
  });

  it("refuses to opt out of a REQUIRED topic without calling the server", async () => {
    const calls: string[] = [];
    const queryClient = newQueryClient();
    const { result } = renderHook(() => ({ prefs: usePreferences(), update: useUpdatePreference() }), {
      wrapper: wrapper(backend.current.url, "alice", queryClient, recordingFetch(calls)),
    });
    await waitFor(() => expect(result.current.prefs.isSuccess).toBe(true));
    const before = queryClient.getQueryData(courierKeys.preferences());
    await expect(
      act(() => result.current.update.mutateAsync({ topicId: "security", status: "OPTED_OUT" })),
    ).rejects.toMatchObject({ code: "preference_required" });
    expect(calls.filter((c) => c.startsWith("PUT"))).toEqual([]);
    expect(queryClient.getQueryData(courierKeys.preferences())).toEqual(before);
    expect(await serverStatus("alice", "security")).toBe("REQUIRED");
  });
});

describe("useMessages filters and paging", () => {
  it("filters by tags and archived, and pages with a cursor", async () => {
    const send = async (tags: string[]) =>
      (
        await unwrap(
          backend.current.client.POST("/send", {
            body: { message: { to: { user_id: "alice" }, template: "WELCOME", metadata: { tags } } },
          }),
        )
      ).requestId;
    for (let i = 0; i < 21; i++) {
      await send(["billing"]);
    }
    const archived = await send(["billing"]);
    await send(["news"]);
    await unwrap(
      backend.current.client.PUT("/requests/{request_id}/archive", { params: { path: { request_id: archived } } }),
    );
    const { result } = renderHook(
      () => ({
        billing: useMessages({ tags: ["billing"] }),
        withArchived: useMessages({ tags: ["billing"], archived: true }),
        news: useMessages({ tags: ["news"] }),
      }),
      { wrapper: wrapper(backend.current.url) },
    );
    await waitFor(() => expect(result.current.billing.isSuccess && result.current.news.isSuccess).toBe(true));
    expect(result.current.news.data?.pages[0]?.results).toHaveLength(1);
    expect(result.current.billing.data?.pages[0]?.results).toHaveLength(20);
    expect(result.current.billing.hasNextPage).toBe(true);
    await act(() => result.current.billing.fetchNextPage());
    await waitFor(() => expect(result.current.billing.data?.pages).toHaveLength(2));
    const ids = result.current.billing.data?.pages.flatMap((p) => p.results.map((m) => m.id)) ?? [];
    expect(ids).toHaveLength(21);
    expect(ids).not.toContain(archived);
    await waitFor(() => expect(result.current.withArchived.isSuccess).toBe(true));
    await act(() => result.current.withArchived.fetchNextPage());
    await waitFor(() =>
      expect(result.current.withArchived.data?.pages.flatMap((p) => p.results.map((m) => m.id))).toContain(archived),
    );
  });
});

describe("useRegisterPushToken / useUnregisterPushToken", () => {
  it("adds and removes the user's device tokens", async () => {
    const tokens = async () =>
      (
        await unwrap(backend.current.client.GET("/users/{user_id}/tokens", { params: { path: { user_id: "alice" } } }))
      ).tokens.map((t) => [t.token, t.provider_key, t.device?.platform]);
    const { result } = renderHook(() => ({ register: useRegisterPushToken(), unregister: useUnregisterPushToken() }), {
      wrapper: wrapper(backend.current.url),
    });
    await act(() =>
      result.current.register.mutateAsync({
        token: "ExponentPushToken[xyz]",
        provider_key: "expo",
        device: { platform: "ios" },
      }),
    );
    expect(await tokens()).toEqual([["ExponentPushToken[xyz]", "expo", "ios"]]);
    await expect(
      act(() => result.current.register.mutateAsync({ token: "t", provider_key: "pager" as never })),
    ).rejects.toMatchObject({ status: 400 });
    await act(() => result.current.unregister.mutateAsync({ token: "ExponentPushToken[xyz]" }));
    expect(await tokens()).toEqual([]);
  });
});

describe("useCourierToken", () => {
  const claims = (token: string) => JSON.parse(atob(token.split(".")[1]?.replace(/-/g, "+").replace(/_/g, "/") ?? ""));

  it("gets a token scoped to the signed-in user", async () => {
    const { result } = renderHook(() => useCourierToken(), { wrapper: wrapper(backend.current.url) });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(claims(result.current.data?.token ?? "").scope).toBe("user_id:alice read:preferences write:preferences");
    expect(result.current.data?.expiresAt).toBeGreaterThan(Date.now());
  });

  it("fetches a new token before the current one expires", async () => {
    // An emulator whose clock is 54 s behind issues one-minute tokens that expire about 6 s from now.
    const late = await startBackend({ now: () => Date.now() - 54_000 });
    try {
      const { result } = renderHook(() => useCourierToken(), { wrapper: wrapper(late.url) });
      await waitFor(() => expect(result.current.isSuccess).toBe(true));
      const first = result.current.data;
      if (!first) {
        throw new Error("no token");
      }
      await waitFor(() => expect(result.current.data?.token).not.toBe(first.token), { timeout: 15_000 });
      expect(claims(result.current.data?.token ?? "").jti).not.toBe(claims(first.token).jti);
      // Replaced while the first one was still valid.
      expect(result.current.dataUpdatedAt).toBeLessThan(first.expiresAt);
    } finally {
      await late.close();
    }
  });
});

function SuspensePreferences() {
  const { data } = useSuspenseQuery(courierQueries.preferences(useCourierApi()));
  return <p data-testid="sections">{data.sections.map((s) => s.section_name).join(", ")}</p>;
}

describe("Suspense", () => {
  it("works with useSuspenseQuery and the exported query options", async () => {
    render(
      <Suspense fallback={<p>suspended</p>}>
        <SuspensePreferences />
      </Suspense>,
      { wrapper: wrapper(backend.current.url) },
    );
    expect(screen.getByText("suspended")).toBeTruthy();
    expect((await screen.findByTestId("sections")).textContent).toBe("Account, Product updates");
  });
});
