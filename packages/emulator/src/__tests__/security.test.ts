/** Nothing from outside can pollute a prototype, crash a handler or store what cannot be read back. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_DEPTH,
  type Emulator,
  idempotencyOf,
  listsOf,
  messagesOf,
  profilesOf,
  startEmulator,
} from "../index.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ apiKey: "k" });
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

function call(method: string, path: string, body?: unknown) {
  return fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: "Bearer k", "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

const RESERVED = ["__proto__", "constructor", "prototype"];

describe("JSON Patch on profiles", () => {
  it("refuses __proto__, constructor and prototype path segments with 400 and leaves prototypes alone", async () => {
    await call("POST", "/profiles/u1", { profile: { name: "A" } });
    const patches = RESERVED.flatMap((segment) => [
      [{ op: "add", path: `/${segment}/polluted`, value: true }],
      [{ op: "replace", path: `/${segment}`, value: { polluted: true } }],
      [{ op: "add", path: `/a/${segment}/polluted`, value: true }],
      [{ op: "copy", from: `/${segment}`, path: "/x" }],
      [{ op: "move", from: "/name", path: `/${segment}` }],
    ]);
    for (const patch of patches) {
      const response = await call("PATCH", "/profiles/u1", { patch });
      expect(response.status, JSON.stringify(patch)).toBe(400);
      expect(await response.json()).toMatchObject({ type: "invalid_request_error" });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual({ name: "A" });
  });

  it("compares `test` values deeply (key order does not matter, different values fail)", async () => {
    await call("POST", "/profiles/u1", { profile: { address: { city: "SF", zip: "94103" }, tags: [1, { a: 2 }] } });
    const ok = await call("PATCH", "/profiles/u1", {
      patch: [
        { op: "test", path: "/address", value: { zip: "94103", city: "SF" } },
        { op: "test", path: "/tags", value: [1, { a: 2 }] },
        { op: "add", path: "/tested", value: true },
      ],
    });
    expect(ok.status).toBe(204);
    const failed = await call("PATCH", "/profiles/u1", {
      patch: [
        { op: "add", path: "/after", value: 1 },
        { op: "test", path: "/tags", value: [1, { a: 3 }] },
      ],
    });
    expect(failed.status).toBe(400);
    expect((await failed.json()).message).toContain("Test failed");
    // All or nothing: the add before the failed test is not kept.
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual({
      address: { city: "SF", zip: "94103" },
      tags: [1, { a: 2 }],
      tested: true,
    });
  });

  it("answers 400 for unresolvable paths, bad array indexes and unknown ops", async () => {
    await call("POST", "/profiles/u1", { profile: { list: [1, 2] } });
    for (const op of [
      { op: "remove", path: "/missing" },
      { op: "add", path: "/list/9", value: 3 },
      { op: "replace", path: "/deep/er", value: 1 },
      { op: "add", path: "", value: {} },
      { op: "add", path: "no-slash", value: 1 },
    ]) {
      expect((await call("PATCH", "/profiles/u1", { patch: [op] })).status, JSON.stringify(op)).toBe(400);
    }
  });
});

describe("ids are ordinary strings", () => {
  const ids = [...RESERVED, "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

  it("works for profiles, lists, subscriptions, audiences, messages, bulk jobs and runs named like Object members", async () => {
    for (const id of ids) {
      const enc = encodeURIComponent(id);
      expect((await call("GET", `/profiles/${enc}`)).status).toBe(404);
      expect((await call("POST", `/profiles/${enc}`, { profile: { email: `${id}@x.io` } })).status).toBe(200);
      expect(await (await call("GET", `/profiles/${enc}`)).json()).toEqual({ profile: { email: `${id}@x.io` } });
      expect((await call("GET", `/lists/${enc}`)).status).toBe(404);
      expect((await call("PUT", `/lists/${enc}/subscriptions/${enc}`, {})).status).toBe(204);
      expect((await call("GET", `/audiences/${enc}`)).status).toBe(404);
      expect((await call("GET", `/messages/${enc}`)).status).toBe(404);
      expect((await call("GET", `/bulk/${enc}`)).status).toBe(404);
      expect((await call("GET", `/automations/runs/${enc}/steps`)).status).toBe(404);
      expect((await call("POST", `/automations/${enc}/invoke`, { recipient: "u" })).status).toBe(404);
      const routing = await call("POST", `/send/${enc}/routing`, { recipients: [{ recipient: id }] });
      expect(routing.status).toBe(200);
      const send = await call("POST", "/send", {
        message: { to: { user_id: id }, template: id, data: { [id]: id }, content: undefined },
      });
      expect(send.status).toBe(202);
    }
    expect([...profilesOf(emulator.state).keys()].sort()).toEqual([...ids].sort());
    expect(
      listsOf(emulator.state)
        .subscriptionsOf("constructor")
        .map((s) => s.listId),
    ).toEqual(["constructor"]);
    expect(messagesOf(emulator.state).size).toBe(ids.length);
    expect(({} as Record<string, unknown>).email).toBeUndefined();
  });

  it("keeps a body's own __proto__ key as data", async () => {
    const response = await call("POST", "/profiles/p", '{"profile":{"__proto__":{"polluted":true},"name":"P"}}');
    expect(response.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const read = await (await call("GET", "/profiles/p")).text();
    expect(JSON.parse(read).profile.name).toBe("P");
  });
});

describe("values that cannot be converted to a string", () => {
  it("are compared as data by audience filters, sends and automations (no 500)", async () => {
    const odd = { toString: 1, valueOf: {} };
    expect((await call("POST", "/profiles/odd", { profile: { plan: odd, tags: [odd] } })).status).toBe(200);
    const filters = ["EQ", "NEQ", "GT", "LTE", "INCLUDES", "OMIT", "STARTS_WITH"].map((operator) => ({
      operator,
      path: operator === "INCLUDES" || operator === "OMIT" ? "tags" : "plan",
      value: "1",
    }));
    for (const filter of filters) {
      expect((await call("PUT", "/audiences/odd", { filter: { filters: [filter] } })).status).toBe(200);
      const members = await call("GET", "/audiences/odd/members");
      expect(members.status, filter.operator).toBe(200);
      expect((await call("POST", "/send", { message: { to: { audience_id: "odd" }, template: "T" } })).status).toBe(
        202,
      );
    }
    const run = await call("POST", "/automations/invoke", {
      recipient: "odd",
      data: { name: odd },
      automation: { steps: [{ action: "send", template: "T", duration: odd }] },
    });
    expect(run.status).toBe(200);
    const sent = await call("POST", "/send", {
      message: { to: { email: "o@x.io" }, content: { title: "{name}", body: "{name}" }, data: { name: odd } },
    });
    const { requestId } = await sent.json();
    expect((await call("GET", `/messages/${requestId}/output`)).status).toBe(200);
  });
});

describe("sizes of what is kept", () => {
  it("refuses an Idempotency-Key over 255 characters and stores keys hashed", async () => {
    const send = (key: string) =>
      fetch(`${emulator.url}/send`, {
        method: "POST",
        headers: { authorization: "Bearer k", "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify({ message: { to: { email: "a@x.io" }, template: "T" } }),
      });
    expect((await send("k".repeat(256))).status).toBe(400);
    expect((await send("k".repeat(255))).status).toBe(202);
    expect([...idempotencyOf(emulator.state).records.keys()].map((k) => k.length)).toEqual([43]);
  });

  it("quotes at most 500 characters of the request in an error message", async () => {
    const id = "x".repeat(5000);
    const response = await call("POST", `/automations/${id}/invoke`, { recipient: "u" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message.length).toBeLessThanOrEqual(501);
  });
});

describe("nesting limit", () => {
  /** `depth` levels of objects. */
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

  it(`refuses bodies nested deeper than ${DEFAULT_MAX_DEPTH} levels with 400, and stores nothing`, async () => {
    const deep = await call("POST", "/profiles/deep", `{"profile":${nested(10_000)}}`);
    expect(deep.status).toBe(400);
    expect((await deep.json()).message).toContain(`deeper than ${DEFAULT_MAX_DEPTH}`);
    const arrays = await call("POST", "/send", `{"message":${"[".repeat(5000)}${"]".repeat(5000)}}`);
    expect(arrays.status).toBe(400);
    expect(profilesOf(emulator.state).has("deep")).toBe(false);
  });

  it("accepts a body exactly at the limit, and reads it back", async () => {
    // {"profile": ...} is one level, so the profile may nest limit - 1 levels.
    const body = `{"profile":${nested(DEFAULT_MAX_DEPTH - 1)}}`;
    expect((await call("POST", "/profiles/ok", body)).status).toBe(200);
    expect((await call("GET", "/profiles/ok")).status).toBe(200);
    expect((await call("POST", "/profiles/no", `{"profile":${nested(DEFAULT_MAX_DEPTH)}}`)).status).toBe(400);
  });

  it("does not count brackets inside strings", async () => {
    const body = JSON.stringify({ profile: { text: "[".repeat(500) + "{".repeat(500), quote: '\\"[[[' } });
    expect((await call("POST", "/profiles/s", body)).status).toBe(200);
  });
});
