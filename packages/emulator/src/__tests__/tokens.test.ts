import type { components } from "@courier-ts/core";
import { describe, expect, it } from "vitest";
import { tokensSeed } from "../handlers/tokens.js";
import { manualClock, setup } from "./helpers.js";

const clock = manualClock();
const t = setup({ now: clock.now });
const user_id = "u1";

async function get(token: string, user = user_id) {
  return t.courier.GET("/users/{user_id}/tokens/{token}", { params: { path: { user_id: user, token } } });
}

async function put(token: string, body: Record<string, unknown>) {
  return t.courier.PUT("/users/{user_id}/tokens/{token}", {
    params: { path: { user_id, token } },
    body: body as never,
  });
}

async function patch(token: string, ops: Array<components["schemas"]["UsersPatchOperation"]>) {
  return t.courier.PATCH("/users/{user_id}/tokens/{token}", {
    params: { path: { user_id, token } },
    body: { patch: ops },
  });
}

async function bulkPut(
  body: components["schemas"]["UsersUserToken"][] | { tokens: components["schemas"]["UsersUserToken"][] },
) {
  return t.courier.PUT("/users/{user_id}/tokens", { params: { path: { user_id } }, body });
}

async function list(user = user_id) {
  const { data } = await t.courier.GET("/users/{user_id}/tokens", { params: { path: { user_id: user } } });
  return data?.tokens ?? [];
}

describe("users' push tokens", () => {
  it("PUT, GET, list and DELETE agree; a PUT overwrites; tokens expire in two months by default", async () => {
    const created = await put("fcm-1", {
      provider_key: "firebase-fcm",
      device: { platform: "android", model: "Pixel 9" },
      properties: { app: "demo" },
    });
    expect(created.response.status).toBe(204);
    const expiry = new Date(clock.now());
    expiry.setUTCMonth(expiry.getUTCMonth() + 2);
    const got = await get("fcm-1");
    expect(got.data).toEqual({
      token: "fcm-1",
      provider_key: "firebase-fcm",
      expiry_date: expiry.toISOString(),
      device: { platform: "android", model: "Pixel 9" },
      properties: { app: "demo" },
      status: "active",
      status_reason: null,
    });
    await put("apn-1", { token: "apn-1", provider_key: "apn", expiry_date: false });
    expect((await list()).map((x) => [x.token, x.expiry_date])).toEqual([
      ["fcm-1", expiry.toISOString()],
      ["apn-1", false],
    ]);

    await put("fcm-1", { provider_key: "expo" });
    expect((await get("fcm-1")).data).toMatchObject({ provider_key: "expo" });
    expect((await get("fcm-1")).data?.device).toBeUndefined();

    const deleted = await t.courier.DELETE("/users/{user_id}/tokens/{token}", {
      params: { path: { user_id, token: "fcm-1" } },
    });
    expect(deleted.response.status).toBe(204);
    expect((await get("fcm-1")).response.status).toBe(404);
    expect((await list()).map((x) => x.token)).toEqual(["apn-1"]);
    const again = await t.courier.DELETE("/users/{user_id}/tokens/{token}", {
      params: { path: { user_id, token: "fcm-1" } },
    });
    expect(again.response.status).toBe(204);
    expect(await list("nobody")).toEqual([]);
  });

  it("refuses a body token that differs from the path, a bad provider and a bad expiry date", async () => {
    const mismatch = await put("a", { token: "b", provider_key: "apn" });
    expect(mismatch.response.status).toBe(400);
    expect(mismatch.error).toEqual({
      message: "token in the body must match the token in the path",
      type: "invalid_request_error",
    });
    expect((await put("a", { provider_key: "carrier-pigeon" })).response.status).toBe(400);
    expect((await put("a", { provider_key: "apn", expiry_date: "someday" })).response.status).toBe(400);
    expect(await list()).toEqual([]);
  });

  it("PATCH applies JSON Patch to the token's fields, all or nothing", async () => {
    await put("fcm-1", { provider_key: "firebase-fcm", device: { model: "Pixel" } });
    const revoked = await patch("fcm-1", [
      { op: "replace", path: "/status", value: "revoked" },
      { op: "add", path: "/status_reason", value: "user signed out" },
      { op: "replace", path: "/device/model", value: "Pixel 9" },
      { op: "add", path: "/device/platform", value: "android" },
    ]);
    expect(revoked.response.status).toBe(204);
    expect((await get("fcm-1")).data).toMatchObject({
      status: "revoked",
      status_reason: "user signed out",
      device: { model: "Pixel 9", platform: "android" },
    });

    const refusals: Array<[Array<components["schemas"]["UsersPatchOperation"]>, string]> = [
      [
        [{ op: "replace", path: "/status", value: "exploded" }],
        "status must be one of active, unknown, failed, revoked",
      ],
      [[{ op: "replace", path: "/token", value: "other" }], 'Path "/token" cannot be patched'],
      [[{ op: "add", path: "/device/__proto__", value: "x" }], 'Path "/device/__proto__" is not allowed'],
      [[{ op: "replace", path: "/provider_key", value: "pigeon" }], "Invalid patch result: provider_key"],
      [
        [
          { op: "replace", path: "/status", value: "failed" },
          { op: "remove", path: "/missing" },
        ],
        'Path "/missing" cannot be patched',
      ],
      [
        [
          { op: "replace", path: "/status", value: "failed" },
          { op: "remove", path: "/tracking" },
        ],
        "Path does not exist",
      ],
    ];
    for (const [ops, message] of refusals) {
      const refused = await patch("fcm-1", ops);
      expect(refused.response.status, JSON.stringify(ops)).toBe(400);
      expect((refused.error as { message: string }).message).toContain(message);
    }
    expect((await get("fcm-1")).data).toMatchObject({ status: "revoked", device: { model: "Pixel 9" } });
    expect(({} as Record<string, unknown>).x).toBeUndefined();

    // A value may be any JSON value, e.g. a whole object.
    const device = { model: "Pixel 10", manufacturer: "Google" };
    expect((await patch("fcm-1", [{ op: "replace", path: "/device", value: device }])).response.status).toBe(204);
    expect((await get("fcm-1")).data?.device).toEqual(device);
    expect((await patch("missing", [{ op: "replace", path: "/status", value: "failed" }])).response.status).toBe(404);
  });

  it("bulk PUT adds or overwrites several tokens (as { tokens } or a bare array), all or nothing", async () => {
    await put("keep", { provider_key: "apn" });
    const bulk = await bulkPut({
      tokens: [
        { token: "keep", provider_key: "expo" },
        { token: "new", provider_key: "onesignal", tracking: { ip: "127.0.0.1" } },
      ],
    });
    expect(bulk.response.status).toBe(204);
    expect((await list()).map((x) => [x.token, x.provider_key])).toEqual([
      ["keep", "expo"],
      ["new", "onesignal"],
    ]);
    const array = await bulkPut([{ token: "third", provider_key: "apn" }]);
    expect(array.response.status).toBe(204);
    const bad = await bulkPut({
      tokens: [{ token: "fourth", provider_key: "apn" }, { provider_key: "apn" } as never],
    });
    expect(bad.response.status).toBe(400);
    expect((bad.error as { message: string }).message).toBe("Invalid request body: tokens.1.token is required");
    const empty = await bulkPut([{ token: "", provider_key: "apn" }]);
    expect((empty.error as { message: string }).message).toBe(
      "Invalid request body: tokens[0].token must not be empty",
    );
    // No body at all (what the official SDK's addMultiple sends) adds nothing.
    const none = await t.courier.PUT("/users/{user_id}/tokens", { params: { path: { user_id } } });
    expect(none.response.status).toBe(204);
    expect((await list()).map((x) => x.token)).toEqual(["keep", "new", "third"]);
  });

  it("ids such as __proto__ are ordinary user ids and tokens", async () => {
    await t.courier.PUT("/users/{user_id}/tokens/{token}", {
      params: { path: { user_id: "__proto__", token: "constructor" } },
      body: { provider_key: "apn" },
    });
    expect((await get("constructor", "__proto__")).data?.token).toBe("constructor");
    expect((await list("__proto__")).map((x) => x.token)).toEqual(["constructor"]);
  });

  it("a fixture loads tokens with known ids and refuses a bad one", async () => {
    tokensSeed.load(
      t.emulator.state,
      [{ user_id: "u9", token: "seeded", provider_key: "firebase-fcm", expiry_date: "2030-01-01T00:00:00.000Z" }],
      clock.now(),
    );
    expect((await get("seeded", "u9")).data).toMatchObject({
      provider_key: "firebase-fcm",
      expiry_date: "2030-01-01T00:00:00.000Z",
      status: "active",
    });
    expect(() => tokensSeed.load(t.emulator.state, [{ user_id: "u9", token: "x" }], clock.now())).toThrow(
      /tokens fixture \[0\]: .*provider_key is required/,
    );
  });
});
