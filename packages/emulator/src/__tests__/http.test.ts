/** Cross-cutting behaviour at the HTTP level: auth, idempotency, bad input, fuzzing. */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../faults.js";
import { listsOf, messagesOf, profilesOf } from "../index.js";
import { API_KEY, setup } from "./helpers.js";

const t = setup();

function raw(path: string, init: RequestInit & { key?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.key !== null) {
    headers.set("authorization", `Bearer ${init.key ?? API_KEY}`);
  }
  if (init.body !== undefined && !headers.has("content-type")) {
    headers.set("content-type", "application/json");
  }
  return fetch(`${t.emulator.url}${path}`, { ...init, headers });
}

const sendBody = JSON.stringify({ message: { to: { user_id: "u1" }, template: "T" } });

describe("auth", () => {
  it("401s without the configured key, with a JSON error body", async () => {
    for (const key of [null, "wrong"]) {
      const response = await raw("/send", { method: "POST", body: sendBody, key });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: "Unauthorized", type: "authentication_error" });
    }
    expect(messagesOf(t.emulator.state).size).toBe(0);
  });
});

describe("Idempotency-Key", () => {
  it("replays the first result for the same key with no second effect", async () => {
    const headers = { "idempotency-key": "key-1" };
    const first = await raw("/send", { method: "POST", body: sendBody, headers });
    const second = await raw("/send", { method: "POST", body: sendBody, headers });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(await second.json()).toEqual(await first.json());
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(messagesOf(t.emulator.state).size).toBe(1);
    const other = await raw("/send", { method: "POST", body: sendBody, headers: { "idempotency-key": "key-2" } });
    expect(other.status).toBe(202);
    expect(messagesOf(t.emulator.state).size).toBe(2);
    expect(t.emulator.stats().replays).toBe(1);
  });

  it("stores a failed result too, but not a request that failed validation", async () => {
    const headers = { "idempotency-key": "key-3" };
    const invalid = await raw("/send", {
      method: "POST",
      body: JSON.stringify({ message: { to: { user_id: 1 } } }),
      headers,
    });
    expect(invalid.status).toBe(400);
    const fixed = await raw("/send", { method: "POST", body: sendBody, headers });
    expect(fixed.status).toBe(202);
    const notTemplate = JSON.stringify({ message: { to: { user_id: "u" } } });
    const handlerError = await raw("/send", {
      method: "POST",
      body: notTemplate,
      headers: { "idempotency-key": "key-4" },
    });
    expect(handlerError.status).toBe(400);
    const replayed = await raw("/send", { method: "POST", body: sendBody, headers: { "idempotency-key": "key-4" } });
    expect(replayed.status).toBe(400);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
  });

  it("has no effect on GET", async () => {
    await raw("/profiles/u1", { method: "POST", body: JSON.stringify({ profile: { a: 1 } }) });
    const a = await raw("/profiles/u1", { headers: { "idempotency-key": "g" } });
    await raw("/profiles/u1", { method: "POST", body: JSON.stringify({ profile: { a: 2 } }) });
    const b = await raw("/profiles/u1", { headers: { "idempotency-key": "g" } });
    expect((await a.json()).profile.a).toBe(1);
    expect((await b.json()).profile.a).toBe(2);
  });
});

describe("bad input", () => {
  it("malformed JSON → 400 invalid_request_error", async () => {
    const response = await raw("/send", { method: "POST", body: "{not json" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: "Malformed JSON body", type: "invalid_request_error" });
  });

  it("wrong types → 400 naming the field", async () => {
    const response = await raw("/lists/l1", { method: "PUT", body: JSON.stringify({ name: 5 }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: "Invalid request body: name must be string",
      type: "invalid_request_error",
    });
  });

  it("a body over 1 MB → 413", async () => {
    const big = JSON.stringify({ profile: { blob: "x".repeat(1024 * 1024) } });
    const response = await raw("/profiles/u1", { method: "POST", body: big });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ type: "invalid_request_error" });
    expect(profilesOf(t.emulator.state).size).toBe(0);
  });

  it("unknown route → 404 JSON, wrong method → 405 JSON", async () => {
    const missing = await raw("/nope/here");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: "invalid_request_error" });
    const method = await raw("/send", { method: "GET" });
    expect(method.status).toBe(405);
  });

  it("keeps an encoded slash inside one path parameter", async () => {
    await raw("/profiles/a%2F..%2Fb", { method: "POST", body: JSON.stringify({ profile: { x: 1 } }) });
    expect([...profilesOf(t.emulator.state).keys()]).toEqual(["a/../b"]);
  });
});

describe("fuzz", () => {
  it("survives 1,000 random and malformed requests with its state intact", async () => {
    await raw("/profiles/keep", { method: "POST", body: JSON.stringify({ profile: { email: "keep@x.io" } }) });
    await raw("/lists/keep.list/subscriptions", {
      method: "POST",
      body: JSON.stringify({ recipients: [{ recipientId: "keep" }] }),
    });
    const snapshot = () =>
      JSON.stringify({
        profiles: [...profilesOf(t.emulator.state)],
        lists: [...listsOf(t.emulator.state).lists],
        subscriptions: [...listsOf(t.emulator.state).subscriptions()],
        messages: messagesOf(t.emulator.state).size,
      });
    const before = snapshot();
    const random = seededRandom(20261124);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    // Authenticated requests are all malformed (bad path, unparseable or schema-invalid body); the
    // well-formed ones go unauthenticated. So no request may change state, and none may crash it.
    const badPaths = [
      "/profiles/%E0%A4%A",
      "/profiles/",
      "/profiles//lists",
      "/../../etc/passwd",
      "/nope",
      "/lists/%ZZ",
      `/${"a".repeat(5000)}`,
      "/messages?cursor=%%%",
      "/lists?pattern=***",
      "/audiences/a/members?cursor=zz",
    ];
    const unparseable = ["{", "\u0000\u0001\u0002", '{"a":', "[1,2", "{'single':1}"];
    const schemaInvalid: Array<[string, string, string]> = [
      ["POST", "/send", '{"message":null}'],
      ["POST", "/send", '{"message":{"to":{"user_id":{}},"template":1}}'],
      ["POST", "/profiles/keep", '{"profile":[]}'],
      ["PUT", "/profiles/keep", '{"__proto__":{"polluted":true}}'],
      ["PATCH", "/profiles/keep", '{"patch":[{"op":"nope","path":"x"}]}'],
      ["PUT", "/lists/keep.list/subscriptions", '{"recipients":"x"}'],
      ["POST", "/automations/invoke", '{"automation":{"steps":"x"}}'],
      ["POST", "/bulk", JSON.stringify({ message: 1 })],
      ["POST", "/profiles/keep/lists", '{"lists":[{"listId":1}]}'],
    ];
    let fiveHundreds = 0;
    for (let i = 0; i < 1000; i++) {
      const kind = random();
      let method: string;
      let path: string;
      let body: string | undefined;
      let key: string | null = API_KEY;
      if (kind < 0.25) {
        method = pick(["GET", "POST", "PUT", "PATCH", "DELETE"]);
        path = pick(badPaths);
        body = method === "GET" ? undefined : pick([...unparseable, sendBody]);
      } else if (kind < 0.5) {
        method = pick(["POST", "PUT", "PATCH"]);
        path = pick([
          "/send",
          "/profiles/keep",
          "/lists/keep.list",
          "/bulk",
          "/automations/invoke",
          "/profiles/keep/lists",
        ]);
        body = pick(unparseable);
      } else if (kind < 0.75) {
        [method, path, body] = pick(schemaInvalid);
      } else {
        method = pick(["GET", "POST", "PUT", "PATCH", "DELETE"]);
        path = pick(["/send", "/profiles/keep", "/lists/keep.list", "/profiles/keep/lists"]);
        body = method === "GET" ? undefined : sendBody;
        key = pick([null, "", "wrong"]);
      }
      const response = await raw(path, {
        method,
        body,
        key,
        headers: { "content-type": pick(["application/json", "text/plain", "application/x-www-form-urlencoded"]) },
      }).catch(() => undefined);
      if (response) {
        if (response.status >= 500) {
          fiveHundreds++;
        }
        await response.arrayBuffer();
      }
    }
    expect(fiveHundreds).toBe(0);
    expect(snapshot()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const alive = await raw("/profiles/keep");
    expect(alive.status).toBe(200);
    expect(await alive.json()).toEqual({ profile: { email: "keep@x.io" } });
  });
});
