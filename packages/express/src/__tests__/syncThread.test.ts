/**
 * `courierProfileSync({ thread })`: the upstream calls run on a worker thread with a client of its own
 * (the built `dist/syncThread.mjs`), against the emulator.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { isCourierApiError } from "@courier-ts/core";
import { type Emulator, profilesOf, startEmulator } from "@courier-ts/emulator";
import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { courierProfileSync, type ProfileSyncMiddleware, type SyncUser } from "../index.js";
import { API_KEY, listen, listIdsOf, type Running } from "./helpers.js";

let emulator: Emulator | undefined;
let app: Running | undefined;
let sync: ProfileSyncMiddleware | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await sync?.close(2_000);
  await app?.close();
  await emulator?.close();
  sync = app = emulator = undefined;
});

const calls = (e: Emulator) => e.state.effects.get("POST /profiles/{user_id}") ?? 0;

describe("courierProfileSync({ thread })", () => {
  it("syncs through its own thread: nothing is fetched on the app's thread, and Courier gets each change once", async () => {
    emulator = await startEmulator({ apiKey: API_KEY });
    const users = new Map<string, SyncUser>([
      ["u1", { id: "u1", profile: { email: "u1@x.io", name: "One" }, lists: ["all-users"] }],
    ]);
    const mainThreadFetch = vi.spyOn(globalThis, "fetch");
    sync = courierProfileSync({
      thread: { apiKey: API_KEY, baseUrl: emulator.url },
      getUser: (req) => users.get(req.get("x-user") ?? ""),
    });
    const server = express();
    server.use(sync);
    server.get("/hello", (_req, res) => {
      res.json({ ok: true });
    });
    app = await listen(server);
    const hello = async (user: string) => {
      const response = await new Promise<number>((resolve, reject) => {
        // node:http, not fetch: the spy must see only what the middleware does.
        import("node:http").then(({ get }) =>
          get(`${app?.url}/hello`, { headers: { "x-user": user } }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          }).on("error", reject),
        );
      });
      expect(response).toBe(200);
    };
    for (let i = 0; i < 3; i++) {
      await hello("u1");
      expect(await sync.flush()).toBe(true);
    }
    expect(calls(emulator)).toBe(1);
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual({ email: "u1@x.io", name: "One" });
    expect(listIdsOf(emulator, "u1")).toEqual(["all-users"]);
    users.set("u1", { id: "u1", profile: { email: "u1@x.io", name: "Renamed" } });
    await hello("u1");
    expect(await sync.flush()).toBe(true);
    expect(calls(emulator)).toBe(2);
    expect(profilesOf(emulator.state).get("u1")?.profile.name).toBe("Renamed");
    expect(sync.stats()).toMatchObject({ synced: 2, unchanged: 2, failed: 0 });
    expect(mainThreadFetch).not.toHaveBeenCalled();
  });

  it("sends the profile as the client would (toJSON included), and last write wins", async () => {
    emulator = await startEmulator({ apiKey: API_KEY });
    sync = courierProfileSync({ thread: { apiKey: API_KEY, baseUrl: emulator.url }, getUser: () => undefined });
    const since = new Date("2026-01-02T03:04:05.000Z");
    await sync.syncNow({ id: "u2", profile: { name: "X", since } });
    expect(profilesOf(emulator.state).get("u2")?.profile).toEqual({ name: "X", since: since.toISOString() });
    void sync.syncNow({ id: "u2", profile: { name: "Y" } });
    await sync.syncNow({ id: "u2", profile: { name: "X", since } });
    expect(profilesOf(emulator.state).get("u2")?.profile.name).toBe("X");
  });

  it("gives Courier's refusals back as the same typed errors, and does not retry them", async () => {
    emulator = await startEmulator({ apiKey: API_KEY });
    const errors: unknown[] = [];
    sync = courierProfileSync({
      thread: { apiKey: "not-the-key", baseUrl: emulator.url, maxRetries: 0 },
      getUser: () => undefined,
      onError: (error) => errors.push(error),
    });
    await sync.syncNow({ id: "u3", profile: { name: "Z" } });
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(isCourierApiError(error)).toBe(true);
    expect(error).toMatchObject({ name: "AuthenticationError", status: 401, code: "api_error" });
    expect(String((error as Error).message)).not.toContain("not-the-key");
    expect(sync.stats()).toMatchObject({ failed: 1, dropped: 1, retrying: 0 });
  });

  it("reports a call that could not connect with its code, and retries it later", async () => {
    const errors: unknown[] = [];
    sync = courierProfileSync({
      // Nothing listens on port 9 of 127.0.0.1 here: the connection is refused.
      thread: { apiKey: API_KEY, baseUrl: "http://127.0.0.1:9", maxRetries: 0 },
      getUser: () => undefined,
      onError: (error) => errors.push(error),
    });
    await sync.syncNow({ id: "u4", profile: { name: "W" } });
    expect(errors[0]).toMatchObject({ name: "ConnectionError", code: "connection_error" });
    expect(sync.stats()).toMatchObject({ failed: 1, retrying: 1 });
  });

  it("refuses a missing key or a missing client when it is created, not at the first sync", () => {
    const getUser = () => undefined;
    vi.stubEnv("COURIER_API_KEY", "");
    expect(() => courierProfileSync({ thread: {}, getUser })).toThrow(/API key/i);
    expect(() => courierProfileSync({ thread: { apiKey: "" }, getUser })).toThrow(/API key/i);
    expect(() => courierProfileSync({ thread: { apiKey: "k", baseUrl: "not a url" }, getUser })).toThrow();
    expect(() => courierProfileSync({ getUser } as never)).toThrow(/client.*thread/);
    vi.unstubAllEnvs();
  });

  it.runIf(process.platform === "linux")(
    "runs only when the app leaves its CPU idle (Linux: SCHED_IDLE through chrt, else nice +10), for that thread alone",
    async () => {
      emulator = await startEmulator({ apiKey: API_KEY });
      sync = courierProfileSync({ thread: { apiKey: API_KEY, baseUrl: emulator.url }, getUser: () => undefined });
      /** Each thread's nice value and scheduling class (fields 19 and 41 of its stat). */
      const threads = () =>
        readdirSync("/proc/self/task").flatMap((tid) => {
          try {
            const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
            // Fields are counted from the state (field 3), after the command name in parentheses.
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            return [{ nice: Number(fields[16]), policy: Number(fields[38]) }];
          } catch {
            return []; // a thread that ended meanwhile
          }
        });
      const app = getPriority();
      const others = () => threads().filter(({ nice, policy }) => nice !== app || policy !== 0);
      expect(others()).toEqual([]);
      await sync.syncNow({ id: "u6", profile: { name: "U" } });
      // The thread is still there (it ends with close()): exactly one thread of this process runs lower.
      // 5 is SCHED_IDLE, 0 the usual class (SCHED_OTHER). CI runs on Debian, where util-linux has `chrt`.
      const hasChrt = spawnSync("chrt", ["--help"], { stdio: "ignore" }).status === 0;
      expect(others()).toEqual([{ nice: Math.min(19, app + 10), policy: hasChrt ? 5 : 0 }]);
      expect(getPriority()).toBe(app);
    },
  );

  it("close() ends the thread: later syncs are refused, not queued", async () => {
    emulator = await startEmulator({ apiKey: API_KEY });
    const errors: unknown[] = [];
    sync = courierProfileSync({
      thread: { apiKey: API_KEY, baseUrl: emulator.url },
      getUser: () => undefined,
      onError: (error) => errors.push(error),
    });
    await sync.syncNow({ id: "u5", profile: { name: "V" } });
    expect(await sync.close()).toBe(true);
    await sync.syncNow({ id: "u5", profile: { name: "after close" } });
    expect(profilesOf(emulator.state).get("u5")?.profile.name).toBe("V");
    expect(calls(emulator)).toBe(1);
  });
});
