/**
 * The proxy's preference, push-token and Courier-token routes, through a real Express app on 127.0.0.1
 * with the emulator behind it: what the signed-in user can do with their own data, what is refused,
 * and the IDOR suite for every one of these routes (alice must never reach bob).
 */
import { createPublicKey, verify } from "node:crypto";
import type { CourierClient } from "@courier-ts/client";
import { unwrap } from "@courier-ts/client";
import { proxyRoutes } from "@courier-ts/core";
import type { Emulator } from "@courier-ts/emulator";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { courierProxy } from "../index.js";
import { seedPreferences } from "./fixtures.js";
import { emulatorAndClient, fakeAuth, listen, type Running, userIdOf } from "./helpers.js";

let emulator: Emulator;
let client: CourierClient;
let app: Running;
let issued = 0;

beforeAll(async () => {
  ({ emulator, client } = await emulatorAndClient());
  const server = express();
  server.use(fakeAuth);
  // Counts the proxy's upstream token requests (the cache must keep them down).
  const counting: CourierClient = new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== "POST" || typeof value !== "function") {
        return value;
      }
      return (path: string, init: unknown) => {
        if (path === "/auth/issue-token") {
          issued++;
        }
        return (value as (p: string, i: unknown) => unknown).call(target, path, init);
      };
    },
  });
  server.use(
    "/api/courier",
    courierProxy({
      client: counting,
      getUserId: userIdOf,
      token: { scopes: ["read:preferences", "write:preferences", "inbox:read:messages"], expiresIn: "10 minutes" },
    }),
  );
  app = await listen(server);
});
afterAll(async () => {
  await app.close();
  await emulator.close();
});
beforeEach(async () => {
  emulator.reset();
  await seedPreferences(client);
});

function call(path: string, init: RequestInit & { as?: string | null; raw?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.as !== null) {
    headers.set("x-user", init.as ?? "alice");
  }
  if (init.body !== undefined || init.raw !== undefined) {
    headers.set("content-type", "application/json");
  }
  return fetch(`${app.url}/api/courier${path}`, { ...init, headers, body: init.raw ?? init.body });
}

const put = (path: string, body: unknown, as = "alice") =>
  call(path, { method: "PUT", body: JSON.stringify(body), as });

async function statusOf(user: string, topic: string) {
  const data = await unwrap(
    client.GET("/users/{user_id}/preferences/{topic_id}", { params: { path: { user_id: user, topic_id: topic } } }),
  );
  return data.topic.status;
}

describe("the shared contract", () => {
  it("serves every route of proxyRoutes, with its method and path, and no other", () => {
    const router = courierProxy({
      client,
      getUserId: userIdOf,
      send: { templates: ["T"] },
      token: { scopes: ["read:messages"] },
    });
    const served = (router.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>)
      .flatMap((layer) =>
        layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route?.path}`) : [],
      )
      .sort();
    expect(served).toEqual(
      Object.values(proxyRoutes)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });
});

describe("preferences", () => {
  it("lists the user's topics grouped by section, with defaults, statuses and channel options", async () => {
    await put("/preferences/tips", { status: "OPTED_IN", custom_routing: ["push"] });
    const response = await call("/preferences");
    expect(response.status).toBe(200);
    const { sections } = await response.json();
    expect(sections.map((s: { section_name: string }) => s.section_name)).toEqual(["Account", "Product updates"]);
    expect(sections[0].topics).toEqual([
      {
        topic_id: "security",
        topic_name: "Security alerts",
        status: "REQUIRED",
        default_status: "REQUIRED",
        has_custom_routing: false,
        custom_routing: [],
        routing_options: ["email", "sms"],
      },
      expect.objectContaining({ topic_id: "billing", status: "OPTED_IN" }),
    ]);
    expect(sections[1].topics[1]).toMatchObject({
      topic_id: "tips",
      status: "OPTED_IN",
      default_status: "OPTED_OUT",
      has_custom_routing: true,
      custom_routing: ["push"],
      routing_options: ["email", "push", "inbox"],
    });
  });

  it("updates one topic; a status-only change keeps the channels picked before", async () => {
    const first = await put("/preferences/news", { status: "OPTED_IN", custom_routing: ["inbox"] });
    expect(first.status).toBe(200);
    const second = await put("/preferences/news", { status: "OPTED_OUT" });
    expect((await second.json()).topic).toMatchObject({
      topic_id: "news",
      status: "OPTED_OUT",
      custom_routing: ["inbox"],
      has_custom_routing: true,
    });
    expect(await statusOf("alice", "news")).toBe("OPTED_OUT");
    expect(await statusOf("bob", "news")).toBe("OPTED_IN");
  });

  it("refuses to opt out of a REQUIRED topic, to set REQUIRED, unknown topics and bad channels", async () => {
    const cases: Array<[string, unknown, number]> = [
      ["/preferences/security", { status: "OPTED_OUT" }, 403],
      ["/preferences/billing", { status: "REQUIRED" }, 400],
      ["/preferences/billing", { status: "maybe" }, 400],
      ["/preferences/billing", "OPTED_OUT", 400],
      ["/preferences/billing", { status: "OPTED_IN", custom_routing: ["carrier-pigeon"] }, 400],
      ["/preferences/billing", { status: "OPTED_IN", custom_routing: ["push"] }, 400], // not offered in Account
      ["/preferences/billing", { status: "OPTED_IN", custom_routing: ["email", "email"] }, 400],
      ["/preferences/billing", { status: "OPTED_IN", custom_routing: "email" }, 400],
      ["/preferences/no-such-topic", { status: "OPTED_IN" }, 404],
    ];
    for (const [path, body, status] of cases) {
      const response = await put(path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(await response.json()).toHaveProperty("type");
    }
    expect(await statusOf("alice", "security")).toBe("REQUIRED");
    expect(await statusOf("alice", "billing")).toBe("OPTED_IN");
    // Channels may still be picked for a REQUIRED topic.
    const channels = await put("/preferences/security", { status: "OPTED_IN", custom_routing: ["sms"] });
    expect((await channels.json()).topic).toMatchObject({ status: "REQUIRED", custom_routing: ["sms"] });
  });
});

describe("push tokens", () => {
  const tokensOf = async (user: string) =>
    (await unwrap(client.GET("/users/{user_id}/tokens", { params: { path: { user_id: user } } }))).tokens.map(
      (t) => t.token,
    );

  it("registers and removes the user's own tokens (removing twice is fine)", async () => {
    const expo = "ExponentPushToken[abc-123]";
    expect((await put(`/tokens/${encodeURIComponent(expo)}`, { provider_key: "expo" })).status).toBe(204);
    const fcm = await put("/tokens/fcm:APA91b-x_y", {
      provider_key: "firebase-fcm",
      device: { platform: "web", model: "Chrome" },
    });
    expect(fcm.status).toBe(204);
    expect(await tokensOf("alice")).toEqual([expo, "fcm:APA91b-x_y"]);
    expect((await call(`/tokens/${encodeURIComponent(expo)}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/tokens/${encodeURIComponent(expo)}`, { method: "DELETE" })).status).toBe(204);
    expect(await tokensOf("alice")).toEqual(["fcm:APA91b-x_y"]);
  });

  it("refuses bad bodies with JSON 400s", async () => {
    const cases: unknown[] = [
      {},
      { provider_key: "pager" },
      { provider_key: "apn", expiry_date: "soon" },
      { provider_key: "apn", device: "iphone" },
      { provider_key: "apn", device: { platform: 7 } },
      { provider_key: "apn", properties: [1] },
    ];
    for (const body of cases) {
      const response = await put("/tokens/t1", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).type).toBe("invalid_request_error");
    }
    expect(await tokensOf("alice")).toEqual([]);
  });
});

describe("POST /token", () => {
  async function verifyJwt(token: string) {
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const { keys } = (await (await fetch(`${emulator.url}/__emulator/jwks`)).json()) as { keys: object[] };
    const key = createPublicKey({ key: keys[0] as never, format: "jwk" });
    const valid = verify(
      "sha256",
      Buffer.from(`${header}.${payload}`),
      { key, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature, "base64url"),
    );
    return { valid, claims: JSON.parse(Buffer.from(payload, "base64url").toString()) };
  }

  it("issues a JWT scoped to the signed-in user and the configured scopes, and caches it", async () => {
    const before = issued;
    const response = await call("/token", { method: "POST" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { token, expiresAt } = await response.json();
    const { valid, claims } = await verifyJwt(token);
    expect(valid).toBe(true);
    expect(claims.scope).toBe("user_id:alice read:preferences write:preferences inbox:read:messages");
    expect(expiresAt).toBe(claims.exp * 1000);
    expect(claims.exp - claims.iat).toBe(600);
    // Cached: the same token again, without a second upstream call; concurrent callers share one call.
    const again = await Promise.all([1, 2, 3].map(() => call("/token", { method: "POST" }).then((r) => r.json())));
    expect(again.map((r) => r.token)).toEqual([token, token, token]);
    expect(issued - before).toBe(1);
    // Another user gets their own token.
    const bob = await (await call("/token", { method: "POST", as: "bob" })).json();
    expect((await verifyJwt(bob.token)).claims.scope).toMatch(/^user_id:bob /);
    expect(issued - before).toBe(2);
  });

  it("refuses to start with scopes that are missing, unknown or name a user, or a bad expiresIn", () => {
    const make = (token: { scopes: string[]; expiresIn?: string }) => () =>
      courierProxy({ client, getUserId: () => "alice", token });
    expect(make({ scopes: [] })).toThrow(/at least one scope/);
    expect(make({ scopes: ["user_id:bob"] })).toThrow(/not one Courier issues/);
    expect(make({ scopes: ["read:preferences user_id:bob"] })).toThrow(/not one Courier issues/);
    expect(make({ scopes: ["admin"] })).toThrow(/not one Courier issues/);
    expect(make({ scopes: ["read:preferences"], expiresIn: "soon" })).toThrow(/expiresIn/);
    expect(make({ scopes: ["read:preferences"], expiresIn: "10s" })).toThrow(/expiresIn/);
  });

  it("is not served when the app did not enable it", async () => {
    const server = express();
    server.use(fakeAuth, courierProxy({ client, getUserId: userIdOf }));
    const plain = await listen(server);
    try {
      const response = await fetch(`${plain.url}/token`, { method: "POST", headers: { "x-user": "alice" } });
      expect(response.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe("message filters", () => {
  it("passes status, archived and tags through, for the user's messages only", async () => {
    const send = async (user: string, tags: string[]) =>
      (
        await unwrap(
          client.POST("/send", { body: { message: { to: { user_id: user }, template: "T", metadata: { tags } } } }),
        )
      ).requestId;
    const billing = await send("alice", ["billing"]);
    const old = await send("alice", ["billing"]);
    await send("alice", ["news"]);
    await send("bob", ["billing"]);
    await unwrap(client.PUT("/requests/{request_id}/archive", { params: { path: { request_id: old } } }));
    const ids = async (query: string) =>
      ((await (await call(`/messages${query}`)).json()).results as Array<{ id: string }>).map((m) => m.id);
    expect(await ids("?tags=billing")).toEqual([billing]);
    expect((await ids("?tags=billing&archived=true")).sort()).toEqual([billing, old].sort());
    expect(await ids("?status=DELIVERED&tags=billing&archived=true")).toEqual([]);
  });
});

describe("IDOR: alice cannot reach bob through the new routes", () => {
  it("refuses every attempt and bob's preferences and tokens are untouched", async () => {
    await put("/preferences/news", { status: "OPTED_IN", custom_routing: ["email"] }, "bob");
    await put("/tokens/bob-device", { provider_key: "apn" }, "bob");
    const bobState = async () =>
      JSON.stringify([
        await unwrap(client.GET("/users/{user_id}/preferences", { params: { path: { user_id: "bob" } } })),
        await unwrap(client.GET("/users/{user_id}/tokens", { params: { path: { user_id: "bob" } } })),
      ]);
    const before = await bobState();
    const optOut = JSON.stringify({ status: "OPTED_OUT" });
    const apn = JSON.stringify({ provider_key: "apn" });
    const attempts: Array<[string, string, string?]> = [
      ["GET", "/preferences?user_id=bob"],
      ["GET", "/preferences?USER_ID[]=bob"],
      ["GET", "/preferences?user_id=alice&user_id=bob"],
      ["GET", "/preferences/bob"],
      ["GET", "/preferences/..%2F..%2Fusers%2Fbob%2Fpreferences"],
      ["PUT", "/preferences/news?user_id=bob", optOut],
      ["PUT", "/preferences/news", JSON.stringify({ status: "OPTED_OUT", user_id: "bob" })],
      ["PUT", "/preferences/news", '{"status":"OPTED_OUT","user_id":"alice","user_id":"bob"}'],
      ["PUT", "/preferences/news", JSON.stringify({ status: "OPTED_OUT", recipient: "bob" })],
      ["PUT", "/preferences/news%2F..%2F..%2Fusers%2Fbob%2Fpreferences%2Fnews", optOut],
      ["PUT", "/preferences/..%2Fbob%2Fnews", optOut],
      ["PUT", "/preferences/%20news", optOut],
      ["DELETE", "/preferences/news"],
      ["PUT", "/tokens/bob-device?user_id=bob", apn],
      ["PUT", "/tokens/bob-device", JSON.stringify({ provider_key: "apn", user_id: "bob" })],
      ["PUT", "/tokens/x%2F..%2F..%2Fusers%2Fbob%2Ftokens%2Fbob-device", apn],
      ["PUT", "/tokens/..%2Fbob%2Ftokens%2Fbob-device", apn],
      ["DELETE", "/tokens/bob-device?recipientId=bob"],
      ["DELETE", "/tokens/%2e%2e%2Fusers%2Fbob%2Ftokens%2Fbob-device"],
      ["DELETE", "/tokens/bob-device%20"],
      ["GET", "/tokens/bob-device"],
      ["POST", "/token?user_id=bob"],
      ["POST", "/token", JSON.stringify({ user_id: "bob" })],
      ["POST", "/token", JSON.stringify({ scope: "user_id:bob read:preferences" })],
      ["POST", "/token", JSON.stringify({ to: "bob" })],
      ["GET", "/messages?tags=billing&recipient=bob"],
    ];
    const outcomes: string[] = [];
    for (const [method, path, raw] of attempts) {
      const response = await call(path, { method, raw });
      const text = await response.text();
      if (path === "/token" && response.status === 200) {
        // The body is ignored: the token is still alice's alone.
        const claims = JSON.parse(Buffer.from(JSON.parse(text).token.split(".")[1], "base64url").toString());
        if (claims.scope.includes("bob")) {
          outcomes.push(`${method} ${path} -> a token naming bob`);
        }
        continue;
      }
      if (![400, 403, 404].includes(response.status) || text.includes("bob-device")) {
        outcomes.push(`${method} ${path} -> ${response.status} ${text.slice(0, 120)}`);
      }
    }
    expect(outcomes).toEqual([]);
    expect(await bobState()).toBe(before);
  });
});
