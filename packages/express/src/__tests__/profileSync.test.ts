import type { CourierClient } from "@courier-ts/client";
import { type Emulator, listsOf, profilesOf, startEmulator } from "@courier-ts/emulator";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { courierProfileSync, type ProfileSyncMiddleware } from "../index.js";
import { API_KEY, emulatorAndClient, listen, type Running } from "./helpers.js";

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
) {
  const sync = courierProfileSync({
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
    expect(
      listsOf(emulator.state)
        .subscriptionsOf("u1")
        .map((s) => s.listId),
    ).toEqual(["all-users"]);
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
      const started = performance.now();
      const response = await hello("u1");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      expect(performance.now() - started).toBeLessThan(500);
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
