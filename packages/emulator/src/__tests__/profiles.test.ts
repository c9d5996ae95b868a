import { describe, expect, it } from "vitest";
import { profilesOf } from "../index.js";
import { setup } from "./helpers.js";

const t = setup();
const path = { user_id: "0460766e-8463-4905-ae98-b72c7aef41d6" };

async function profile() {
  const { data, response } = await t.courier.GET("/profiles/{user_id}", { params: { path } });
  return response.status === 404 ? undefined : data?.profile;
}

describe("profiles", () => {
  it("POST creates, then merges top-level keys", async () => {
    const created = await t.courier.POST("/profiles/{user_id}", {
      params: { path },
      body: { profile: { email: "user@example.com", phone_number: "555-555-5555" } },
    });
    expect(created.response.status).toBe(200);
    expect(created.data).toEqual({ status: "SUCCESS" });
    await t.courier.POST("/profiles/{user_id}", {
      params: { path },
      body: { profile: { name: "Jane", email: "j@x.io" } },
    });
    expect(await profile()).toEqual({ email: "j@x.io", phone_number: "555-555-5555", name: "Jane" });
  });

  it("POST with an empty profile changes nothing and answers SUCCESS", async () => {
    await t.courier.POST("/profiles/{user_id}", { params: { path }, body: { profile: { email: "a@b.c" } } });
    const before = profilesOf(t.emulator.state).get(path.user_id)?.updated;
    const result = await t.courier.POST("/profiles/{user_id}", { params: { path }, body: { profile: {} } });
    expect(result.data).toEqual({ status: "SUCCESS" });
    expect(await profile()).toEqual({ email: "a@b.c" });
    expect(profilesOf(t.emulator.state).get(path.user_id)?.updated).toBe(before);
  });

  it("PUT replaces, and an empty profile clears it", async () => {
    await t.courier.POST("/profiles/{user_id}", { params: { path }, body: { profile: { email: "a@b.c", name: "A" } } });
    await t.courier.PUT("/profiles/{user_id}", { params: { path }, body: { profile: { name: "B" } } });
    expect(await profile()).toEqual({ name: "B" });
    await t.courier.PUT("/profiles/{user_id}", { params: { path }, body: { profile: {} } });
    expect(await profile()).toEqual({});
  });

  it("PATCH applies JSON Patch, creates when absent, and is atomic", async () => {
    const created = await t.courier.PATCH("/profiles/{user_id}", {
      params: { path },
      body: { patch: [{ op: "add", path: "/email", value: "p@x.io" }] },
    });
    expect(created.response.status).toBe(204);
    expect(await profile()).toEqual({ email: "p@x.io" });
    await t.courier.PATCH("/profiles/{user_id}", {
      params: { path },
      body: {
        patch: [
          { op: "add", path: "/address", value: { city: "SF" } },
          { op: "replace", path: "/email", value: "q@x.io" },
          { op: "copy", from: "/email", path: "/backup_email" },
          { op: "move", from: "/address/city", path: "/city" },
          { op: "test", path: "/city", value: "SF" },
        ],
      },
    });
    expect(await profile()).toEqual({ email: "q@x.io", backup_email: "q@x.io", address: {}, city: "SF" });
    const failed = await t.courier.PATCH("/profiles/{user_id}", {
      params: { path },
      body: {
        patch: [
          { op: "remove", path: "/email" },
          { op: "replace", path: "/missing", value: 1 },
        ],
      },
    });
    expect(failed.response.status).toBe(400);
    expect(failed.error).toMatchObject({ type: "invalid_request_error" });
    expect((await profile())?.email).toBe("q@x.io");
    const noop = await t.courier.PATCH("/profiles/{user_id}", { params: { path }, body: { patch: [] } });
    expect(noop.response.status).toBe(204);
  });

  it("GET 404s when absent; DELETE removes the profile but keeps list subscriptions", async () => {
    const missing = await t.courier.GET("/profiles/{user_id}", { params: { path } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toEqual({ message: "Not Found", type: "invalid_request_error" });
    await t.courier.POST("/profiles/{user_id}", { params: { path }, body: { profile: { email: "a@b.c" } } });
    await t.courier.POST("/profiles/{user_id}/lists", { params: { path }, body: { lists: [{ listId: "news" }] } });
    const deleted = await t.courier.DELETE("/profiles/{user_id}", { params: { path } });
    expect(deleted.response.status).toBe(204);
    expect(await profile()).toBeUndefined();
    const lists = await t.courier.GET("/profiles/{user_id}/lists", { params: { path } });
    expect(lists.data?.results.map((l) => l.id)).toEqual(["news"]);
  });

  it("profile list subscriptions: subscribe auto-creates lists, GET pages, DELETE removes all", async () => {
    const subscribed = await t.courier.POST("/profiles/{user_id}/lists", {
      params: { path },
      body: {
        lists: [
          { listId: "teams.eng" },
          { listId: "teams.ops", preferences: { notifications: { weekly: { status: "OPTED_OUT" } } } },
        ],
      },
    });
    expect(subscribed.data).toEqual({ status: "SUCCESS" });
    const list = await t.courier.GET("/lists/{list_id}", { params: { path: { list_id: "teams.ops" } } });
    expect(list.data?.id).toBe("teams.ops");
    const mine = await t.courier.GET("/profiles/{user_id}/lists", { params: { path } });
    expect(mine.data?.results.map((l) => l.id).sort()).toEqual(["teams.eng", "teams.ops"]);
    expect(mine.data?.results.find((l) => l.id === "teams.ops")?.preferences).toEqual({
      notifications: { weekly: { status: "OPTED_OUT" } },
    });
    expect(mine.data?.paging).toEqual({ cursor: null, more: false });
    const removed = await t.courier.DELETE("/profiles/{user_id}/lists", { params: { path } });
    expect(removed.data).toEqual({ status: "SUCCESS" });
    const none = await t.courier.GET("/profiles/{user_id}/lists", { params: { path } });
    expect(none.data?.results).toEqual([]);
  });

  it("rejects a body without `profile` with a 400 naming the field, changing nothing", async () => {
    const { response, error } = await t.courier.POST("/profiles/{user_id}", {
      params: { path },
      body: { prof: {} } as never,
    });
    expect(response.status).toBe(400);
    expect(error).toEqual({ message: "Invalid request body: profile is required", type: "invalid_request_error" });
    expect(profilesOf(t.emulator.state).size).toBe(0);
  });
});
