import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { CourierClient } from "@courier-ts/client";
import { createCourierClient } from "@courier-ts/client";
import { type Emulator, profilesOf, startEmulator } from "@courier-ts/emulator";
import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  courierProfileSync,
  createMemoryStore,
  type ProfileSyncBaseOptions,
  type ProfileSyncMiddleware,
  type SyncUser,
} from "../index.js";
import { API_KEY, emulatorAndClient, listen, listIdsOf, type Running } from "./helpers.js";

let emulator: Emulator;
let app: Running | undefined;
afterEach(async () => {
  await app?.close();
  await emulator?.close();
});

/** An app whose users and their profiles live in `users`; `x-user` names the signed-in one. */
async function appWith(
  client: CourierClient,
  users: Map<string, Record<string, unknown>>,
  onError?: (e: unknown) => void,
  more: Partial<ProfileSyncBaseOptions> = {},
) {
  const sync = courierProfileSync({
    ...more,
    client,
    getUser: (req) => {
      const id = req.get("x-user");
      const profile = id ? users.get(id) : undefined;
      return id && profile ? { id, profile, lists: ["all-users"] } : undefined;
    },
    onError,
  });
  const server = express();
  server.use(sync);
  server.get("/hello", (_req, res) => {
    res.json({ ok: true });
  });
  app = await listen(server);
  return sync;
}

const upstreamCalls = () => emulator.state.effects.get("POST /profiles/{user_id}") ?? 0;
const hello = (user: string) => fetch(`${app?.url}/hello`, { headers: { "x-user": user } });

describe("courierProfileSync", () => {
  it("syncs a user once, skips unchanged profiles, and syncs again when the profile changes", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const users = new Map([["u1", { email: "u1@x.io", name: "One" }]]);
    const sync = await appWith(client, users);
    for (let i = 0; i < 5; i++) {
      expect((await hello("u1")).status).toBe(200);
      await sync.flush();
    }
    expect(upstreamCalls()).toBe(1);
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual({ email: "u1@x.io", name: "One" });
    expect(listIdsOf(emulator, "u1")).toEqual(["all-users"]);
    expect(sync.stats()).toMatchObject({ synced: 1, unchanged: 4 });

    users.set("u1", { email: "u1@x.io", name: "Renamed" });
    await hello("u1");
    await sync.flush();
    expect(upstreamCalls()).toBe(2);
    expect(profilesOf(emulator.state).get("u1")?.profile.name).toBe("Renamed");
    expect((await hello("anonymous")).status).toBe(200);
    await sync.flush();
    expect(upstreamCalls()).toBe(2);
  });

  it("reads a profile the same whatever the order of its keys, nested objects and lists included", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const sync = courierProfileSync({ client, getUser: () => undefined });
    const states: SyncUser[] = [
      { id: "u1", profile: { email: "u1@x.io", name: "One" }, lists: ["b", "a"] },
      { id: "u1", profile: { name: "One", email: "u1@x.io", extra: undefined }, lists: ["a", "b"] },
      { id: "u1", profile: { name: "One", email: "u1@x.io", custom: { tier: "gold", plan: 2 } }, lists: ["a", "b"] },
      { id: "u1", profile: { custom: { plan: 2, tier: "gold" }, email: "u1@x.io", name: "One" }, lists: ["b", "a"] },
      { id: "u1", profile: { custom: { plan: 3, tier: "gold" }, email: "u1@x.io", name: "One" }, lists: ["b", "a"] },
    ];
    for (const state of states) {
      await sync.syncNow(state);
    }
    // Three distinct states: the first, the one with `custom`, and the one with plan 3.
    expect(upstreamCalls()).toBe(3);
    expect(sync.stats()).toMatchObject({ synced: 3, unchanged: 2 });
    expect(profilesOf(emulator.state).get("u1")?.profile).toMatchObject({ custom: { plan: 3, tier: "gold" } });
  });

  it("compares long states (hashed on every request) and short ones (remembered as text) alike", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const sync = courierProfileSync({ client, getUser: () => undefined });
    const bio = "b".repeat(300);
    // Inherited members are not the profile's own: left out, as JSON.stringify leaves them out.
    const withInherited = Object.assign(Object.create({ inherited: "x" }), { email: "u1@x.io", name: "One" });
    const states: SyncUser[] = [
      { id: "u1", profile: { bio, email: "u1@x.io" } },
      { id: "u1", profile: { email: "u1@x.io", bio } },
      { id: "u1", profile: { bio: `${bio}!`, email: "u1@x.io" } },
      { id: "u2", profile: { email: "u2@x.io", name: "Two" } },
      { id: "u2", profile: { email: "u2@x.io", name: "Two" } },
      { id: "u2", profile: { email: "u2@x.io", name: "Two" }, lists: ["a"] },
      { id: "u2", profile: { email: "u2@x.io", name: "Two" }, lists: ["a"] },
      { id: "u2", profile: { email: "u2@x.io", name: "Two" } },
      { id: "u3", profile: { email: "u1@x.io", name: "One" } },
      { id: "u3", profile: withInherited },
    ];
    for (const state of states) {
      await sync.syncNow(state);
    }
    // u1: the first and the changed bio; u2: the first, with lists, and back without them; u3: once.
    expect(sync.stats()).toMatchObject({ synced: 6, unchanged: 4 });
    expect(profilesOf(emulator.state).get("u1")?.profile.bio).toBe(`${bio}!`);
    expect(profilesOf(emulator.state).get("u3")?.profile).toEqual({ email: "u1@x.io", name: "One" });
  });

  it("syncNow() syncs at once (e.g. at sign-in) through the same cache", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const sync = await appWith(client, new Map([["u1", { email: "u1@x.io" }]]));
    await sync.syncNow({ id: "u1", profile: { email: "u1@x.io" }, lists: ["all-users"] });
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual({ email: "u1@x.io" });
    await hello("u1");
    await sync.flush();
    expect(upstreamCalls()).toBe(1);
  });

  it("coalesces concurrent requests for one user into one upstream call", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const users = new Map([
      ["u1", { email: "u1@x.io" }],
      ["u2", { email: "u2@x.io" }],
    ]);
    const sync = await appWith(client, users);
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => hello(i % 2 ? "u1" : "u2")));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await sync.flush();
    expect(upstreamCalls()).toBe(2);
    expect(sync.stats().synced).toBe(2);
  });

  it("never affects the app while Courier fails, and catches up once it is back", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient(
      {},
      { maxRetries: 1, retry: { initialDelayMs: 1, maxDelayMs: 2 } },
    ));
    const errors: unknown[] = [];
    const users = new Map([["u1", { email: "u1@x.io" }]]);
    const sync = await appWith(client, users, (e) => errors.push(e));
    emulator.setFaults({ rate: 1, kinds: ["503"] });
    for (let i = 0; i < 3; i++) {
      const response = await hello("u1");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      await sync.flush();
    }
    expect(errors.length).toBe(3);
    expect(profilesOf(emulator.state).has("u1")).toBe(false);

    emulator.setFaults(undefined);
    await hello("u1");
    await sync.flush();
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual({ email: "u1@x.io" });
  });

  it("keeps serving while Courier is stopped, and syncs after it restarts on the same port", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient({}, { maxRetries: 0, timeout: 1000 }));
    const port = emulator.port;
    const errors: unknown[] = [];
    const sync: ProfileSyncMiddleware = await appWith(client, new Map([["u1", { email: "u1@x.io" }]]), (e) =>
      errors.push(e),
    );
    await emulator.close();
    expect((await hello("u1")).status).toBe(200);
    await sync.flush();
    expect(errors).toHaveLength(1);
    emulator = await startEmulator({ apiKey: API_KEY, port });
    await hello("u1");
    await sync.flush();
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual({ email: "u1@x.io" });
  });
});

const X: SyncUser = { id: "u1", profile: { email: "u1@x.io", name: "X" } };
const Y: SyncUser = { id: "u1", profile: { email: "u1@x.io", name: "Y" } };

describe("courierProfileSync under pressure", () => {
  it.each([
    ["in memory", undefined],
    ["with a shared store", createMemoryStore()],
  ])("last write wins per user (%s): X, then Y, then X leaves X in Courier", async (_name, store) => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const sync = courierProfileSync({ client, getUser: () => undefined, store });
    // Same tick: X is in progress when Y and then X again arrive.
    void sync.syncNow(X);
    void sync.syncNow(Y);
    await sync.syncNow(X);
    expect(await sync.flush()).toBe(true);
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual(X.profile);
    // Then Y for real, and back to X: each change reaches Courier, the last one stays.
    await sync.syncNow(Y);
    await sync.syncNow(X);
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual(X.profile);
  });

  it("looks the user up after next() has returned, in arrival order, and syncs on the side", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const seen: string[] = [];
    const sync = courierProfileSync({
      client,
      getUser: (req) => {
        const version = String(req.headers["x-version"]);
        seen.push(version);
        return { id: "u1", profile: version === "x" ? X.profile : Y.profile };
      },
    });
    const order: string[] = [];
    for (const version of ["x", "y", "x"]) {
      const next = () => void order.push(`next ${version}`, `${seen.length} looked up`);
      sync({ headers: { "x-version": version } } as unknown as express.Request, {} as express.Response, next);
    }
    // Each request went on before its own lookup, which then ran at once; no upstream call yet.
    expect(order).toEqual(["next x", "0 looked up", "next y", "1 looked up", "next x", "2 looked up"]);
    expect(seen).toEqual(["x", "y", "x"]);
    expect(sync.stats().synced).toBe(0);
    expect(await sync.flush()).toBe(true);
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual(X.profile);
  });

  it("gives up a getUser that never settles after getUserTimeoutMs, so flush() still resolves", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const errors: unknown[] = [];
    const sync = courierProfileSync({
      client,
      getUser: () => new Promise<SyncUser>(() => undefined),
      getUserTimeoutMs: 100,
      onError: (e) => errors.push(e),
    });
    app = await listen(
      express()
        .use(sync)
        .get("/hello", (_req, res) => void res.json({ ok: true })),
    );
    expect((await hello("u1")).status).toBe(200);
    expect(await sync.flush(30_000)).toBe(true);
    expect(String(errors[0])).toMatch(/getUser did not settle within 100 ms/);
  });

  it("flush() and close() resolve in bounded time while Courier hangs, and close() aborts the call", async () => {
    ({ emulator } = await emulatorAndClient());
    // A server that accepts requests and never answers.
    const hung = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    try {
      const client = createCourierClient({ apiKey: "k", baseUrl, maxRetries: 0 });
      const errors: unknown[] = [];
      const sync = courierProfileSync({ client, getUser: () => X, onError: (e) => errors.push(e) });
      app = await listen(
        express()
          .use(sync)
          .get("/hello", (_req, res) => void res.json({ ok: true })),
      );
      expect((await hello("u1")).status).toBe(200);
      await vi.waitFor(() => expect(sync.stats().running).toBe(1));
      expect(await sync.flush(100)).toBe(false);
      expect(await sync.close(100)).toBe(false);
      await vi.waitFor(() => expect(sync.stats().running).toBe(0));
      expect(errors).toHaveLength(1);
      // Closed: later requests are served and not looked up.
      expect((await hello("u1")).status).toBe(200);
      expect(sync.stats()).toMatchObject({ synced: 1, queued: 0 });
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it("retries a sync that failed during an outage later, without another request from that user", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient({}, { maxRetries: 0 }));
    const errors: unknown[] = [];
    const sync = await appWith(client, new Map([["u1", { email: "u1@x.io" }]]), (e) => errors.push(e), {
      retryDelayMs: 50,
    });
    emulator.setFaults({ rate: 1, kinds: ["503"] });
    await hello("u1");
    await sync.flush();
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(sync.stats().retrying).toBe(1);
    emulator.setFaults(undefined);
    await vi.waitFor(() => expect(profilesOf(emulator.state).get("u1")?.profile).toEqual({ email: "u1@x.io" }), {
      timeout: 10_000,
    });
    await sync.flush();
    expect(sync.stats().retrying).toBe(0);
  });

  it("syncs changes that found the queue full later, and bounds what it remembers for retries", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const users = new Map(Array.from({ length: 8 }, (_, i) => [`u${i}`, { email: `u${i}@x.io` }]));
    const sync = await appWith(client, users, undefined, { maxQueue: 1, concurrency: 1, retryDelayMs: 20 });
    await Promise.all([...users.keys()].map((id) => hello(id)));
    await vi.waitFor(() => expect(profilesOf(emulator.state).size).toBe(8), { timeout: 10_000 });
    expect(upstreamCalls()).toBe(8);
    expect(sync.stats()).toMatchObject({ synced: 8, retrying: 0, dropped: 0 });

    // During an outage, at most maxRetries users are remembered; the rest are dropped and counted.
    await app?.close();
    emulator.setFaults({ rate: 1, kinds: ["503"] });
    const small = await appWith(
      createCourierClient({ apiKey: API_KEY, baseUrl: emulator.url, maxRetries: 0 }),
      new Map(Array.from({ length: 6 }, (_, i) => [`v${i}`, { email: `v${i}@x.io` }])),
      () => undefined,
      { maxRetries: 2, retryDelayMs: 60_000 },
    );
    for (let i = 0; i < 6; i++) {
      await hello(`v${i}`);
      await small.flush();
    }
    expect(small.stats()).toMatchObject({ retrying: 2, dropped: 4, failed: 6 });
    await small.close(1000);
  });

  it("falls back to its own memory when the store hangs, so an outage does not turn every request into a sync", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const errors: unknown[] = [];
    const hanging = { setIfChanged: () => new Promise<boolean>(() => undefined), forget: async () => undefined };
    const sync = courierProfileSync({
      client,
      getUser: () => X,
      store: hanging,
      storeTimeoutMs: 50,
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 3; i++) {
      await sync.syncNow(X);
    }
    expect(upstreamCalls()).toBe(1);
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual(X.profile);
    expect(errors).toHaveLength(3);
    expect(String(errors[0])).toMatch(/store.setIfChanged\(\) did not answer within 50 ms/);
  });

  it("checks a window's requests with one setManyIfChanged() call when the store has it, and distrusts an odd answer", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const memory = createMemoryStore();
    const calls: Array<{ keys: string[]; values: string[] }> = [];
    let odd = false;
    const store = {
      ...memory,
      async setManyIfChanged(keys: string[], values: string[], ttlMs: number) {
        calls.push({ keys, values });
        const answers = await Promise.all(keys.map((key, i) => memory.setIfChanged(key, values[i] as string, ttlMs)));
        return odd ? answers.slice(1) : answers;
      },
    };
    const errors: unknown[] = [];
    const users = new Map(["a", "b", "c"].map((id) => [id, { email: `${id}@x.io` }]));
    const sync = await appWith(client, users, (e) => errors.push(e), { store });
    await Promise.all(["a", "b", "c", "a"].map((id) => hello(id)));
    await sync.flush();
    expect(upstreamCalls()).toBe(3);
    expect(calls).toHaveLength(1);
    expect([...(calls[0]?.keys ?? [])].sort()).toEqual(["profile:a", "profile:b", "profile:c"]);
    expect(calls[0]?.values.every((v) => /^[\w-]{43}$/.test(v))).toBe(true);
    // An answer that is not a flag per key fails the checks: reported, and the instance's memory decides.
    odd = true;
    users.set("b", { email: "b@new.io" });
    await Promise.all(["a", "b"].map((id) => hello(id)));
    await sync.flush();
    expect(upstreamCalls()).toBe(4);
    expect(errors.map(String)).toEqual([
      "Error: store.setManyIfChanged() answered 2 check(s) with 1 flags",
      "Error: store.setManyIfChanged() answered 2 check(s) with 1 flags",
    ]);
  });

  it("treats a store that throws at once like one that is down: reported, no crash, its own memory decides", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const errors: unknown[] = [];
    const throwing = {
      setIfChanged: (): Promise<boolean> => {
        throw new Error("store client closed");
      },
      forget: async () => undefined,
    };
    const sync = courierProfileSync({ client, getUser: () => X, store: throwing, onError: (e) => errors.push(e) });
    await sync.syncNow(X);
    await sync.syncNow(X);
    expect(upstreamCalls()).toBe(1);
    expect(errors.map(String)).toEqual(["Error: store client closed", "Error: store client closed"]);
  });

  it("two instances sharing a store upsert an unchanged profile once", async () => {
    let client: CourierClient;
    ({ emulator, client } = await emulatorAndClient());
    const store = createMemoryStore();
    const a = courierProfileSync({ client, getUser: () => X, store });
    const b = courierProfileSync({ client, getUser: () => X, store });
    await Promise.all([a.syncNow(X), b.syncNow(X), a.syncNow(X), b.syncNow(X)]);
    await b.syncNow(X);
    expect(upstreamCalls()).toBe(1);
    expect(a.stats().unchanged + b.stats().unchanged).toBeGreaterThanOrEqual(2);
    await b.syncNow(Y);
    await a.syncNow(Y);
    expect(upstreamCalls()).toBe(2);
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual(Y.profile);
  });
});
