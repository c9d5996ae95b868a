/**
 * Every hook, rendered with Testing Library in jsdom, against a real Express server (profile sync +
 * scoped proxy) with the emulator behind it on 127.0.0.1. Real HTTP, no mocked fetch.
 */

import { listsOf, profilesOf } from "@courier-ts/emulator";
import { QueryClient } from "@tanstack/react-query";
import { act, fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { describe, expect, it } from "vitest";
import {
  courierKeys,
  useListSubscriptions,
  useMessage,
  useMessages,
  useProfile,
  useSendToSelf,
  useSubscribe,
  useUnsubscribe,
  useUpdateProfile,
} from "../index.js";
import { CourierApiError, type ForbiddenLike } from "./errorTypes.js";
import { slowWrites, testBackend, wrapper } from "./helpers.js";

const backend = testBackend();

function Profile() {
  const { data, isPending, error } = useProfile();
  const update = useUpdateProfile();
  if (isPending) {
    return <p>loading</p>;
  }
  if (error) {
    return <p role="alert">{error.message}</p>;
  }
  return (
    <div>
      <p data-testid="name">{String(data?.name ?? "")}</p>
      <button type="button" onClick={() => update.mutate({ name: "Alice" })}>
        rename
      </button>
      <button type="button" onClick={() => update.mutate({ user_id: "bob" })}>
        hijack
      </button>
      {update.error ? <p role="alert">{update.error.message}</p> : null}
    </div>
  );
}

describe("useProfile / useUpdateProfile", () => {
  it("shows loading, then the profile; an update shows at once and is saved", async () => {
    await backend.current.client.POST("/profiles/{user_id}", {
      params: { path: { user_id: "alice" } },
      body: { profile: { name: "Al" } },
    });
    render(
      <StrictMode>
        <Profile />
      </StrictMode>,
      { wrapper: wrapper(backend.current.url, "alice", undefined, slowWrites(300)) },
    );
    expect(screen.getByText("loading")).toBeTruthy();
    expect((await screen.findByTestId("name")).textContent).toBe("Al");
    fireEvent.click(screen.getByText("rename"));
    // Optimistic: on screen before the server has it.
    await waitFor(() => expect(screen.getByTestId("name").textContent).toBe("Alice"));
    expect(profilesOf(backend.current.emulator.state).get("alice")?.profile.name).toBe("Al");
    await waitFor(() => expect(profilesOf(backend.current.emulator.state).get("alice")?.profile.name).toBe("Alice"));
  });

  it("rolls the optimistic update back when the server refuses it, and shows the error", async () => {
    await backend.current.client.POST("/profiles/{user_id}", {
      params: { path: { user_id: "alice" } },
      body: { profile: { name: "Al" } },
    });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(<Profile />, { wrapper: wrapper(backend.current.url, "alice", queryClient, slowWrites(300)) });
    await screen.findByTestId("name");
    fireEvent.click(screen.getByText("hijack"));
    await waitFor(() =>
      expect((queryClient.getQueryData(courierKeys.profile()) as { user_id?: string }).user_id).toBe("bob"),
    );
    expect((await screen.findByRole("alert")).textContent).toContain("403");
    await waitFor(() => expect(queryClient.getQueryData(courierKeys.profile())).toEqual({ name: "Al" }));
    expect(profilesOf(backend.current.emulator.state).get("alice")?.profile).toEqual({ name: "Al" });
  });

  it("surfaces errors as CourierApiError (no signed-in user → 401)", async () => {
    const { result } = renderHook(() => useProfile(), { wrapper: wrapper(backend.current.url, "") });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(CourierApiError);
    expect(result.current.error?.status).toBe(401);
    expect((result.current.error as ForbiddenLike).type).toBe("authentication_error");
  });
});

describe("subscriptions", () => {
  it("subscribe and unsubscribe refresh the list (invalidation after mutation)", async () => {
    const { result } = renderHook(
      () => ({ subs: useListSubscriptions(), subscribe: useSubscribe(), unsubscribe: useUnsubscribe() }),
      { wrapper: wrapper(backend.current.url) },
    );
    await waitFor(() => expect(result.current.subs.isSuccess).toBe(true));
    expect(result.current.subs.data?.results).toEqual([]);
    expect(result.current.subs.data?.available).toEqual(["news", "digest"]);
    await act(() => result.current.subscribe.mutateAsync({ listId: "news" }));
    await waitFor(() => expect(result.current.subs.data?.results.map((l) => l.id)).toEqual(["news"]));
    await act(() => result.current.unsubscribe.mutateAsync({ listId: "news" }));
    await waitFor(() => expect(result.current.subs.data?.results).toEqual([]));
    await expect(result.current.subscribe.mutateAsync({ listId: "secret" })).rejects.toMatchObject({ status: 403 });
    expect(listsOf(backend.current.emulator.state).subscriptionsOf("alice")).toEqual([]);
  });
});

describe("messages", () => {
  it("useSendToSelf sends, useMessages pages with a cursor and refreshes after a send", async () => {
    for (let i = 0; i < 22; i++) {
      await backend.current.client.POST("/send", {
        body: { message: { to: { user_id: "alice" }, template: "WELCOME", data: { i } } },
      });
    }
    await backend.current.client.POST("/send", { body: { message: { to: { user_id: "bob" }, template: "WELCOME" } } });
    const { result } = renderHook(() => ({ messages: useMessages(), send: useSendToSelf() }), {
      wrapper: wrapper(backend.current.url),
    });
    await waitFor(() => expect(result.current.messages.isSuccess).toBe(true));
    expect(result.current.messages.data?.pages[0]?.results).toHaveLength(20);
    expect(result.current.messages.hasNextPage).toBe(true);
    await act(() => result.current.messages.fetchNextPage());
    await waitFor(() => expect(result.current.messages.data?.pages).toHaveLength(2));
    const all = result.current.messages.data?.pages.flatMap((p) => p.results) ?? [];
    expect(all).toHaveLength(22);
    expect(new Set(all.map((m) => m.recipient))).toEqual(new Set(["alice"]));
    expect(result.current.messages.hasNextPage).toBe(false);

    const sent = await act(() => result.current.send.mutateAsync({ content: { title: "Hi", body: "there" } }));
    expect(sent.requestId).toMatch(/^1-/);
    await waitFor(() => {
      const ids = result.current.messages.data?.pages.flatMap((p) => p.results).map((m) => m.id) ?? [];
      expect(ids).toContain(sent.requestId);
    });
  });

  it("useMessage shows a message and its history, following the status", async () => {
    const sent = await backend.current.client.POST("/send", {
      body: { message: { to: { user_id: "alice", email: "alice@x.io" }, template: "WELCOME" } },
    });
    const id = sent.data?.requestId ?? "";
    const { result } = renderHook(() => useMessage(id, { refetchInterval: 50 }), {
      wrapper: wrapper(backend.current.url),
    });
    await waitFor(() => expect(result.current.data?.message.id).toBe(id));
    await waitFor(() => expect(result.current.data?.message.status).toBe("DELIVERED"), { timeout: 5000 });
    expect(result.current.data?.history.map((e) => e.type)).toEqual(["ENQUEUED", "ROUTED", "SENT", "DELIVERED"]);
    const other = renderHook(() => useMessage("nope"), { wrapper: wrapper(backend.current.url) });
    await waitFor(() => expect(other.result.current.isError).toBe(true));
    expect(other.result.current.error?.status).toBe(404);
  });
});
