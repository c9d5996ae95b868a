/**
 * The Redis store against a real redis-server (started here on a free port, persistence off), through
 * both clients an app may pass in: node-redis (`redis`) and `ioredis`.
 */
import type { CourierClient } from "@courier-ts/client";
import { type Emulator, profilesOf } from "@courier-ts/emulator";
import express from "express";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { courierProfileSync, courierWebhook, signCourierPayload } from "../index.js";
import { createRedisStore } from "../redis.js";
import { emulatorAndClient, listen } from "./helpers.js";
import { startRedisServer } from "./redisServer.js";

const server = await startRedisServer();
const reason = server.ok ? "" : ` (skipped: ${server.reason})`;

describe.skipIf(!server.ok)(`createRedisStore on a real redis-server${reason}`, () => {
  const url = server.ok ? server.url : "";
  const nodeRedis = createClient({ url });
  const ioredis = new Redis(url, { lazyConnect: true });
  const clients = { redis: nodeRedis, ioredis } as const;
  let connected = false;
  const connect = async () => {
    if (!connected) {
      connected = true;
      await nodeRedis.connect();
      await ioredis.connect();
    }
  };
  afterAll(async () => {
    if (connected) {
      await nodeRedis.close();
      ioredis.disconnect();
    }
    if (server.ok) {
      await server.stop();
    }
  });

  describe.each(["redis", "ioredis"] as const)("with the %s client", (name) => {
    const prefix = `test-${name}:`;

    it("claims a key once (SET NX PX), with the TTL, until released", async () => {
      await connect();
      const store = createRedisStore({ client: clients[name], prefix });
      expect(await store.claim("delivery-1", 60_000)).toBe(true);
      expect(await store.claim("delivery-1", 60_000)).toBe(false);
      const pttl = Number(await nodeRedis.sendCommand(["PTTL", `${prefix}delivery-1`]));
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(60_000);
      await store.release?.("delivery-1");
      expect(await store.claim("delivery-1", 60_000)).toBe(true);
    });

    it("sets a profile digest only when it changed, and forgets it only while it still holds that value", async () => {
      await connect();
      const store = createRedisStore({ client: clients[name], prefix });
      expect(await store.setIfChanged("profile:u1", "X", 60_000)).toBe(true);
      expect(await store.setIfChanged("profile:u1", "X", 60_000)).toBe(false);
      expect(await store.setIfChanged("profile:u1", "Y", 60_000)).toBe(true);
      await store.forget("profile:u1", "X"); // stale: Y stays
      expect(await store.setIfChanged("profile:u1", "Y", 60_000)).toBe(false);
      await store.forget("profile:u1", "Y");
      expect(await nodeRedis.sendCommand(["EXISTS", `${prefix}profile:u1`])).toBe(0);
      expect(await store.setIfChanged("profile:u1", "Y", 60_000)).toBe(true);
      // Asked for in one tick: one script call over all the keys, each answered in order.
      const batch = ["u1", "u2", "u1"].map((user, i) =>
        store.setIfChanged(`profile:${user}`, i < 2 ? "Y" : "Z", 60_000),
      );
      expect(await Promise.all(batch)).toEqual([false, true, true]);
    });
  });

  it("works across clients, loads its scripts after a SCRIPT FLUSH, and accepts a sendCommand", async () => {
    await connect();
    const a = createRedisStore({ client: nodeRedis, prefix: "cross:" });
    const b = createRedisStore({ client: ioredis, prefix: "cross:" });
    const c = createRedisStore({ sendCommand: (args) => nodeRedis.sendCommand(args), prefix: "cross:" });
    expect(await a.claim("k", 10_000)).toBe(true);
    expect(await b.claim("k", 10_000)).toBe(false);
    expect(await c.claim("k", 10_000)).toBe(false);
    expect(await b.setIfChanged("p", "1", 10_000)).toBe(true);
    await nodeRedis.sendCommand(["SCRIPT", "FLUSH"]);
    expect(await a.setIfChanged("p", "1", 10_000)).toBe(false);
    expect(await c.setIfChanged("p", "2", 10_000)).toBe(true);
    expect(() => createRedisStore({ client: {} as never })).toThrow(TypeError);
  });

  it("checks asked for in one tick go in one script call, answered each in order; key by key on a cluster", async () => {
    await connect();
    const sent: string[][] = [];
    const counting = createRedisStore({
      sendCommand: (args) => {
        sent.push(args);
        return nodeRedis.sendCommand(args);
      },
      prefix: "batch:",
    });
    await counting.setIfChanged("a", "1", 10_000);
    sent.length = 0;
    const answers = await Promise.all([
      counting.setIfChanged("a", "1", 10_000), // unchanged
      counting.setIfChanged("b", "1", 10_000),
      counting.setIfChanged("a", "2", 10_000),
      counting.setIfChanged("a", "2", 10_000), // the same key again in the batch sees the one before it
    ]);
    expect(answers).toEqual([false, true, true, false]);
    expect(sent.map((args) => args[0])).toEqual(["EVALSHA"]);
    expect(sent[0]?.slice(2, 7)).toEqual(["4", "batch:a", "batch:b", "batch:a", "batch:a"]);

    // setManyIfChanged: the same, asked for as one batch; over 256 keys, in calls of 256 sent in order.
    sent.length = 0;
    expect(await counting.setManyIfChanged?.(["a", "e", "e"], ["2", "1", "1"], 10_000)).toEqual([false, true, false]);
    expect(sent.map((args) => args.slice(2))).toEqual([["3", "batch:a", "batch:e", "batch:e", "10000", "2", "1", "1"]]);
    sent.length = 0;
    const many = Array.from({ length: 300 }, (_, i) => `many-${i % 290}`);
    const flags = await counting.setManyIfChanged?.(
      many,
      many.map(() => "v"),
      10_000,
    );
    expect(flags?.filter(Boolean)).toHaveLength(290);
    expect(flags?.slice(290)).toEqual(Array(10).fill(false));
    expect(sent.map((args) => args[2])).toEqual(["256", "44"]);
    await expect(counting.setManyIfChanged?.(["a"], [], 10_000)).rejects.toThrow(TypeError);

    // A cluster refuses keys of several slots in one call: the checks are retried one by one, and the
    // next batches go key by key from then on.
    sent.length = 0;
    const cluster = createRedisStore({
      sendCommand: async (args) => {
        sent.push(args);
        if (args[0] === "EVALSHA" && Number(args[2]) > 1) {
          throw new Error("CROSSSLOT Keys in request don't hash to the same slot");
        }
        return nodeRedis.sendCommand(args);
      },
      prefix: "batch:",
    });
    const one = () => Promise.all([cluster.setIfChanged("c", "1", 10_000), cluster.setIfChanged("a", "2", 10_000)]);
    expect(await one()).toEqual([true, false]);
    expect(sent.map((args) => args[2])).toEqual(["2", "1", "1"]);
    sent.length = 0;
    expect(await one()).toEqual([false, false]);
    expect(sent.map((args) => args[2])).toEqual(["1", "1"]);

    // A client that answers the script with something else fails the checks (the sync then falls back
    // to what the instance knows) instead of reading it as "unchanged".
    const odd = createRedisStore({ sendCommand: async () => null, prefix: "batch:" });
    await expect(odd.setIfChanged("d", "1", 10_000)).rejects.toThrow("a profile check of 1 key(s) with object");
  });

  describe("serves the middleware of two instances", () => {
    let emulator: Emulator | undefined;
    afterAll(async () => {
      await emulator?.close();
    });

    it("a webhook delivery replayed to the other instance is refused", async () => {
      await connect();
      const seen: string[] = [];
      const app = (store: ReturnType<typeof createRedisStore>) =>
        express().post(
          "/hook",
          courierWebhook({ secret: "whsec", replayStore: store, onEvent: (e) => void seen.push(e.type) }),
        );
      const a = await listen(app(createRedisStore({ client: nodeRedis, prefix: "hooks:" })));
      const b = await listen(app(createRedisStore({ client: ioredis, prefix: "hooks:" })));
      try {
        const body = JSON.stringify({ type: "audiences:updated", data: {} });
        const headers = { "content-type": "application/json", "courier-signature": signCourierPayload(body, "whsec") };
        expect((await fetch(`${a.url}/hook`, { method: "POST", headers, body })).status).toBe(200);
        expect((await fetch(`${b.url}/hook`, { method: "POST", headers, body })).status).toBe(401);
        expect(seen).toEqual(["audiences:updated"]);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("one user's unchanged profile seen by both instances is upserted once; a change once more", async () => {
      await connect();
      let client: CourierClient;
      ({ emulator, client } = await emulatorAndClient());
      const user = { id: "u1", profile: { email: "u1@x.io", name: "One" } };
      const a = courierProfileSync({ client, getUser: () => user, store: createRedisStore({ client: nodeRedis }) });
      const b = courierProfileSync({ client, getUser: () => user, store: createRedisStore({ client: ioredis }) });
      await Promise.all([a.syncNow(user), b.syncNow(user), a.syncNow(user), b.syncNow(user)]);
      await Promise.all([a.syncNow(user), b.syncNow(user)]);
      const calls = () => emulator?.state.effects.get("POST /profiles/{user_id}") ?? 0;
      expect(calls()).toBe(1);
      const renamed = { id: "u1", profile: { email: "u1@x.io", name: "Renamed" } };
      await Promise.all([a.syncNow(renamed), b.syncNow(renamed)]);
      expect(calls()).toBe(2);
      expect(emulator && profilesOf(emulator.state).get("u1")?.profile).toEqual(renamed.profile);
    });
  });
});
