/**
 * IDOR suite: alice, signed in, tries to read or change bob's profile, subscriptions and messages
 * through every route, with encoding, `..`, case, whitespace and duplicated-parameter variants. Every
 * attempt must be refused, and the emulator must show nothing of bob's changed.
 */
import type { CourierClient } from "@courier-ts/client";
import { type Emulator, listsOf, messagesOf, profilesOf } from "@courier-ts/emulator";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courierProxy } from "../index.js";
import { emulatorAndClient, fakeAuth, listen, type Running, userIdOf } from "./helpers.js";

let emulator: Emulator;
let client: CourierClient;
let app: Running;
let bobMessage = "";

beforeAll(async () => {
  ({ emulator, client } = await emulatorAndClient());
  const server = express();
  server.use(fakeAuth);
  server.use(
    "/api/courier",
    courierProxy({
      client,
      getUserId: userIdOf,
      lists: ["news", "digest"],
      send: { templates: ["WELCOME"], allowContent: true },
    }),
  );
  app = await listen(server);
  await client.POST("/profiles/{user_id}", {
    params: { path: { user_id: "bob" } },
    body: { profile: { email: "bob@x.io", name: "Bob" } },
  });
  await client.POST("/profiles/{user_id}", {
    params: { path: { user_id: "alice" } },
    body: { profile: { email: "alice@x.io" } },
  });
  await client.PUT("/lists/{list_id}/subscriptions/{user_id}", {
    params: { path: { list_id: "news", user_id: "bob" } },
    body: {},
  });
  const sent = await client.POST("/send", { body: { message: { to: { user_id: "bob" }, template: "WELCOME" } } });
  bobMessage = sent.data?.requestId ?? "";
});
afterAll(async () => {
  await app.close();
  await emulator.close();
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

function bobState() {
  const s = emulator.state;
  return JSON.stringify({
    profile: profilesOf(s).get("bob")?.profile,
    subscriptions: listsOf(s).subscriptionsOf("bob"),
    messages: [...messagesOf(s).values()]
      .filter((m) => m.recipient === "bob")
      .map((m) => [m.id, m.canceledAt, m.archived]),
  });
}

describe("the signed-in user's own data", () => {
  it("reads and merges the profile, subscribes to allowed lists, lists and reads own messages, sends to self", async () => {
    expect(await (await call("/profile")).json()).toEqual({ profile: { email: "alice@x.io" } });
    const patched = await call("/profile", { method: "PATCH", body: JSON.stringify({ profile: { name: "Alice" } }) });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({ profile: { email: "alice@x.io", name: "Alice" } });
    expect((await call("/subscriptions/news", { method: "PUT", body: "{}" })).status).toBe(204);
    const subs = await (await call("/subscriptions")).json();
    expect(subs.results.map((l: { id: string }) => l.id)).toEqual(["news"]);
    expect(subs.available).toEqual(["news", "digest"]);
    expect((await call("/subscriptions/news", { method: "DELETE" })).status).toBe(204);
    const sent = await call("/send", { method: "POST", body: JSON.stringify({ template: "WELCOME", data: { n: 1 } }) });
    expect(sent.status).toBe(202);
    const { requestId } = await sent.json();
    const inline = await call("/send", {
      method: "POST",
      body: JSON.stringify({ content: { title: "Hi", body: "there" } }),
    });
    expect(inline.status).toBe(202);
    const mine = await (await call("/messages")).json();
    expect(mine.results.map((m: { recipient: string }) => m.recipient)).toEqual(["alice", "alice"]);
    expect((await call(`/messages/${requestId}`)).status).toBe(200);
    const history = await (await call(`/messages/${requestId}/history`)).json();
    expect(history.results[0].type).toBe("ENQUEUED");
  });

  it("marks every answer, errors included, as not to be cached, and sends no ETag", async () => {
    for (const [path, as, status] of [
      ["/profile", "alice", 200],
      ["/preferences", "alice", 200],
      ["/profile", null, 401],
      ["/nowhere", "alice", 404],
    ] as const) {
      const response = await call(path, { as });
      expect(response.status, path).toBe(status);
      expect(response.headers.get("cache-control"), path).toBe("no-store");
      expect(response.headers.get("etag"), path).toBeNull();
      expect(response.headers.get("content-type"), path).toBe("application/json; charset=utf-8");
      const text = await response.text();
      expect(Number(response.headers.get("content-length")), path).toBe(Buffer.byteLength(text));
      expect(JSON.parse(text), path).toBeTypeOf("object");
    }
    const head = await call("/profile", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("answers 401 without a signed-in user, on every route", async () => {
    for (const [method, path] of [
      ["GET", "/profile"],
      ["PATCH", "/profile"],
      ["GET", "/subscriptions"],
      ["PUT", "/subscriptions/news"],
      ["GET", "/messages"],
      ["POST", "/send"],
    ] as const) {
      const response = await call(path, { method, as: null, body: method === "GET" ? undefined : "{}" });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await response.json()).toMatchObject({ type: "authentication_error" });
    }
  });

  it("validates bodies with clear JSON errors", async () => {
    const cases: Array<[string, string, string, number]> = [
      ["PATCH", "/profile", "{not json", 400],
      ["PATCH", "/profile", JSON.stringify({ profile: "x" }), 400],
      ["PATCH", "/profile", JSON.stringify({ name: "no wrapper" }), 400],
      ["POST", "/send", JSON.stringify({ template: "NOT_ALLOWED" }), 403],
      ["POST", "/send", JSON.stringify({ content: { title: 1 } }), 400],
      ["PUT", "/subscriptions/secret-list", "{}", 403],
      ["PUT", "/subscriptions/news", JSON.stringify({ preferences: "x" }), 400],
      ["PATCH", "/profile", JSON.stringify({ profile: { blob: "x".repeat(70_000) } }), 413],
    ];
    for (const [method, path, raw, status] of cases) {
      const response = await call(path, { method, raw });
      expect(response.status, `${method} ${path} ${raw.slice(0, 40)}`).toBe(status);
      expect(await response.json()).toHaveProperty("message");
    }
  });
});

describe("IDOR: alice cannot reach bob", () => {
  it("refuses every attempt and bob's state is untouched", async () => {
    const before = bobState();
    const attempts: Array<[string, string, string?]> = [
      // Query parameters naming bob, in every spelling and duplicated.
      ["GET", "/profile?user_id=bob"],
      ["GET", "/profile?userId=bob"],
      ["GET", "/profile?user_id=alice&user_id=bob"],
      ["GET", "/profile?user_id=%20bob"],
      ["GET", "/profile?user_id=BOB"],
      ["GET", "/profile?user_id[]=bob"],
      ["GET", "/profile?USER_ID=bob"],
      ["GET", "/messages?recipient[0]=alice&recipient[1]=bob"],
      ["GET", "/messages?recipient=bob"],
      ["GET", "/messages?recipient=alice&recipient=bob"],
      ["GET", "/messages?recipient=Bob%20"],
      ["GET", "/subscriptions?user_id=bob"],
      ["PUT", "/subscriptions/news?user_id=bob", "{}"],
      ["DELETE", "/subscriptions/news?recipientId=bob"],
      // Bodies naming bob, including a duplicated key (JSON.parse keeps the last one).
      ["PATCH", "/profile", JSON.stringify({ user_id: "bob", profile: { name: "pwned" } })],
      ["PATCH", "/profile", '{"user_id":"alice","user_id":"bob","profile":{"name":"pwned"}}'],
      ["PATCH", "/profile", JSON.stringify({ profile: { user_id: "bob", name: "pwned" } })],
      ["PATCH", "/profile", JSON.stringify({ profile: { id: "bob" } })],
      ["PATCH", "/profile", JSON.stringify({ profile: { user_id: "alice" } })],
      ["DELETE", "/subscriptions/news", JSON.stringify({ recipientId: "bob" })],
      ["POST", "/send", JSON.stringify({ template: "WELCOME", to: { user_id: "bob" } })],
      ["POST", "/send", JSON.stringify({ template: "WELCOME", user_id: "bob" })],
      ["POST", "/send", JSON.stringify({ template: "WELCOME", recipient: "bob" })],
      // Paths that try to name bob or escape the proxy's routes.
      ["GET", "/profile/bob"],
      ["GET", "/profiles/bob"],
      ["GET", "/profile/..%2Fbob"],
      ["GET", "/%2e%2e/profiles/bob"],
      ["GET", "/profile%2F..%2Fprofiles%2Fbob"],
      ["PUT", "/subscriptions/news%2Fsubscriptions%2Fbob", "{}"],
      ["PUT", "/subscriptions/..%2F..%2Flists%2Fnews%2Fsubscriptions%2Fbob", "{}"],
      ["DELETE", "/subscriptions/news%2Fsubscriptions%2Fbob"],
      ["DELETE", "/subscriptions/%20news"],
      ["PUT", "/subscriptions/NEWS", "{}"],
      ["GET", `/messages/${bobMessage}`],
      ["GET", `/messages/${bobMessage}/history`],
      ["GET", `/messages/${bobMessage.toUpperCase()}`],
      ["GET", `/messages/%20${bobMessage}`],
      ["GET", `/messages/..%2Fmessages%2F${bobMessage}`],
      ["GET", "/messages/..%2F..%2Fprofiles%2Fbob"],
    ];
    const outcomes: string[] = [];
    for (const [method, path, raw] of attempts) {
      const response = await call(path, { method, raw });
      const text = await response.text();
      // `/%2e%2e/...` is normalised by the URL parser to a path outside the proxy: the app's own 404.
      const fromProxy = new URL(response.url).pathname.startsWith("/api/courier");
      const denied = [400, 403, 404].includes(response.status);
      const leaked = text.includes("bob@x.io") || text.includes('"recipient":"bob"');
      const json = !fromProxy || (text.startsWith("{") && typeof JSON.parse(text).type === "string");
      if (!denied || leaked || !json) {
        outcomes.push(`${method} ${path} -> ${response.status} ${text.slice(0, 120)}`);
      }
    }
    expect(outcomes).toEqual([]);
    expect(bobState()).toBe(before);
    expect(profilesOf(emulator.state).get("alice")?.profile.name).not.toBe("pwned");
  });
});
