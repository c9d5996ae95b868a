import type { AddressInfo } from "node:net";
import { type CourierClient, createCourierClient, unwrap } from "@courier-ts/client";
import { type Emulator, type EmulatorOptions, startEmulator } from "@courier-ts/emulator";
import { courierProfileSync, courierProxy } from "@courier-ts/express";
import { QueryClient } from "@tanstack/react-query";
import { cleanup } from "@testing-library/react";
import express from "express";
import type { ReactNode } from "react";
import { afterAll, afterEach, beforeAll } from "vitest";
import { CourierProvider } from "../index.js";

export const API_KEY = "react-test-key";

/**
 * One backend for a test file: started before its tests, closed after them, and after each test what was
 * rendered is unmounted and the emulator reset. Tests read `backend.current`.
 */
export function testBackend(emulatorOptions: EmulatorOptions = {}) {
  const backend = {} as { current: Awaited<ReturnType<typeof startBackend>> };
  beforeAll(async () => {
    backend.current = await startBackend(emulatorOptions);
  });
  afterAll(() => backend.current.close());
  afterEach(() => {
    cleanup();
    backend.current.emulator.reset();
  });
  return backend;
}

/** Emulator + a real Express app with profile sync and the scoped proxy, on 127.0.0.1. */
export async function startBackend(emulatorOptions: EmulatorOptions = {}) {
  const emulator: Emulator = await startEmulator({ apiKey: API_KEY, stepMs: 50, ...emulatorOptions });
  const client = createCourierClient({ apiKey: API_KEY, baseUrl: emulator.url, maxRetries: 0 });
  const app = express();
  const userOf = (req: express.Request) => req.get("x-user") || undefined;
  app.use(
    courierProfileSync({
      client,
      getUser: (req) => (userOf(req) ? { id: userOf(req) as string, profile: {} } : undefined),
    }),
  );
  app.use(
    "/api/courier",
    courierProxy({
      client,
      getUserId: userOf,
      lists: ["news", "digest"],
      send: { templates: ["WELCOME"], allowContent: true },
      token: { scopes: ["read:preferences", "write:preferences"], expiresIn: "1 minute" },
    }),
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/courier`;
  return {
    emulator,
    client,
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}

/** A workspace preference page: two sections, one REQUIRED topic, one topic opted out by default. */
export async function seedPreferences(client: CourierClient): Promise<void> {
  const sections: Array<[string, string, Array<[string, string, "OPTED_IN" | "OPTED_OUT" | "REQUIRED"]>]> = [
    [
      "account",
      "Account",
      [
        ["security", "Security alerts", "REQUIRED"],
        ["billing", "Billing", "OPTED_IN"],
      ],
    ],
    [
      "updates",
      "Product updates",
      [
        ["news", "Product news", "OPTED_IN"],
        ["tips", "Tips and tricks", "OPTED_OUT"],
      ],
    ],
  ];
  for (const [sectionId, name, topics] of sections) {
    await unwrap(
      client.PUT("/preferences/sections/{section_id}", {
        params: { path: { section_id: sectionId } },
        body: { name, routing_options: ["email", "push"] },
      }),
    );
    for (const [topicId, topicName, status] of topics) {
      await unwrap(
        client.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
          params: { path: { section_id: sectionId, topic_id: topicId } },
          body: { name: topicName, default_status: status },
        }),
      );
    }
  }
}

/** Real fetch that records each call's method and path (to show which calls a hook made). */
export function recordingFetch(calls: string[]): typeof fetch {
  return (input, init) => {
    calls.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname.replace(/^\/api\/courier/, "")}`);
    return fetch(input, init);
  };
}

/** Real fetch, with writes held back for `ms` so a test can see the state before the server answers. */
export function slowWrites(ms: number): typeof fetch {
  return async (input, init) => {
    if (init?.method && init.method !== "GET") {
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    return fetch(input, init);
  };
}

export function wrapper(
  baseUrl: string,
  user = "alice",
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } }),
  fetchImpl?: typeof fetch,
) {
  return ({ children }: { children: ReactNode }) => (
    <CourierProvider baseUrl={baseUrl} headers={{ "x-user": user }} queryClient={queryClient} fetch={fetchImpl}>
      {children}
    </CourierProvider>
  );
}
