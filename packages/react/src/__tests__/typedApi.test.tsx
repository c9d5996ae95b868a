/**
 * The typed generic hooks of `@courier-ts/react/api`, rendered in jsdom under the main entry's provider,
 * against a real Express proxy and the emulator on 127.0.0.1. Real HTTP, no mocked fetch.
 */
import type { CourierClient } from "@courier-ts/client";
import { QueryClient } from "@tanstack/react-query";
import { act, render, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { CourierProvider } from "../index.js";
import { useCourierClient, useCourierMutation, useCourierQuery } from "../typedApi.js";
import { CourierApiError } from "./errorTypes.js";
import { API_KEY, testBackend, wrapper } from "./helpers.js";

const backend = testBackend();

const getToken = () => API_KEY;

/** The provider pointed at the emulator itself, with the API key as the bearer token from `getToken`. */
function direct(apiBaseUrl: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: ReactNode }) => (
    <CourierProvider
      baseUrl={backend.current.url}
      apiBaseUrl={apiBaseUrl}
      getToken={getToken}
      queryClient={queryClient}
    >
      {children}
    </CourierProvider>
  );
}

/** Records the client of two `useCourierClient` calls per render, under a provider with these settings. */
function Clients(props: { apiBaseUrl: string; queryClient: QueryClient; seen: CourierClient[] }) {
  return (
    <CourierProvider
      baseUrl={backend.current.url}
      apiBaseUrl={props.apiBaseUrl}
      getToken={getToken}
      queryClient={props.queryClient}
    >
      <Seen seen={props.seen} />
    </CourierProvider>
  );
}
function Seen({ seen }: { seen: CourierClient[] }) {
  seen.push(useCourierClient(), useCourierClient());
  return null;
}

describe("typed generic hooks", () => {
  it("useCourierQuery calls any operation of the spec through the provider and throws CourierApiError", async () => {
    const { result } = renderHook(
      () => useCourierQuery("get", "/messages/{message_id}", { params: { path: { message_id: "missing" } } }),
      { wrapper: wrapper(backend.current.url) },
    );
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(CourierApiError);
  });

  it("reads and writes through apiBaseUrl with the token of getToken", async () => {
    const { result } = renderHook(
      () => ({
        profile: useCourierQuery("get", "/profiles/{user_id}", { params: { path: { user_id: "bob" } } }),
        replace: useCourierMutation("put", "/profiles/{user_id}"),
      }),
      { wrapper: direct(backend.current.emulator.url) },
    );
    // Read `status` first: TanStack Query re-renders only for the result fields read so far.
    await waitFor(() => expect(result.current.profile.status).toBe("error"));
    expect(result.current.profile.error).toBeInstanceOf(CourierApiError);
    expect(result.current.profile.error).toMatchObject({ status: 404 });
    await act(() =>
      result.current.replace.mutateAsync({
        params: { path: { user_id: "bob" } },
        body: { profile: { email: "bob@x.io" } },
      }),
    );
    await act(() => result.current.profile.refetch());
    await waitFor(() => expect(result.current.profile.status).toBe("success"));
    expect(result.current.profile.data?.profile).toEqual({ email: "bob@x.io" });
  });

  it("useCourierClient gives the hooks' client, made once per provider settings", async () => {
    const seen: CourierClient[] = [];
    const queryClient = new QueryClient();
    const view = render(<Clients apiBaseUrl={backend.current.emulator.url} queryClient={queryClient} seen={seen} />);
    view.rerender(<Clients apiBaseUrl={backend.current.emulator.url} queryClient={queryClient} seen={seen} />);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(1);
    const first = seen[0] as CourierClient;
    const sent = await first.POST("/send", { body: { message: { to: { user_id: "bob" }, template: "WELCOME" } } });
    expect(sent.response.status).toBe(202);
    view.rerender(<Clients apiBaseUrl={`${backend.current.emulator.url}/`} queryClient={queryClient} seen={seen} />);
    expect(seen[4]).not.toBe(first);
  });
});
