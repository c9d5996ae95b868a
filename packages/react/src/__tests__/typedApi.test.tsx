/**
 * The typed generic hooks of `@courier-ts/react/api`, rendered in jsdom under the main entry's provider,
 * against a real Express proxy and the emulator on 127.0.0.1. Real HTTP, no mocked fetch.
 */
import { QueryClient } from "@tanstack/react-query";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CourierProvider } from "../index.js";
import { useCourierClient, useCourierMutation, useCourierQuery } from "../typedApi.js";
import { CourierApiError } from "./errorTypes.js";
import { API_KEY, startBackend, wrapper } from "./helpers.js";

let backend: Awaited<ReturnType<typeof startBackend>>;
beforeAll(async () => {
  backend = await startBackend();
});
afterAll(() => backend.close());
afterEach(() => {
  cleanup();
  backend.emulator.reset();
});

const getToken = () => API_KEY;

/** The provider pointed at the emulator itself, with the API key as the bearer token from `getToken`. */
function direct(apiBaseUrl: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: ReactNode }) => (
    <CourierProvider baseUrl={backend.url} apiBaseUrl={apiBaseUrl} getToken={getToken} queryClient={queryClient}>
      {children}
    </CourierProvider>
  );
}

describe("typed generic hooks", () => {
  it("useCourierQuery calls any operation of the spec through the provider and throws CourierApiError", async () => {
    const { result } = renderHook(
      () => useCourierQuery("get", "/messages/{message_id}", { params: { path: { message_id: "missing" } } }),
      { wrapper: wrapper(backend.url) },
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
      { wrapper: direct(backend.emulator.url) },
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
    let apiBaseUrl = backend.emulator.url;
    const queryClient = new QueryClient();
    const Wrapper = ({ children }: { children: ReactNode }) => (
      <CourierProvider baseUrl={backend.url} apiBaseUrl={apiBaseUrl} getToken={getToken} queryClient={queryClient}>
        {children}
      </CourierProvider>
    );
    const { result, rerender } = renderHook(() => [useCourierClient(), useCourierClient()] as const, {
      wrapper: Wrapper,
    });
    const [first, same] = result.current;
    expect(same).toBe(first);
    rerender();
    expect(result.current[0]).toBe(first);
    const sent = await first.POST("/send", { body: { message: { to: { user_id: "bob" }, template: "WELCOME" } } });
    expect(sent.response.status).toBe(202);
    apiBaseUrl = `${backend.emulator.url}/`;
    rerender();
    expect(result.current[0]).not.toBe(first);
  });
});
