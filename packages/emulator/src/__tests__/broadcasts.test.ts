import { describe, expect, it } from "vitest";
import { manualClock, setup } from "./helpers.js";

const clock = manualClock();
const t = setup({ now: clock.now, stepMs: 1000 });

async function create(name = "Launch") {
  const created = await t.courier.POST("/broadcasts", { body: { channel: "email", name } });
  expect(created.response.status).toBe(200);
  return created.data?.id ?? "";
}

async function subscribe(list_id: string, users: string[]) {
  for (const user of users) {
    await t.courier.POST("/profiles/{user_id}", {
      params: { path: { user_id: user } },
      body: { profile: { email: `${user}@example.com` } },
    });
  }
  await t.courier.POST("/lists/{list_id}/subscriptions", {
    params: { path: { list_id } },
    body: { recipients: users.map((recipientId) => ({ recipientId })) },
  });
}

const content = {
  content: { elements: [{ type: "text" as const, content: "Hello {{name}}" }, { type: "divider" as const }] },
};

describe("broadcasts", () => {
  it("create, get, rename, list and archive agree", async () => {
    const id = await create();
    const got = await t.courier.GET("/broadcasts/{broadcastId}", { params: { path: { broadcastId: id } } });
    expect(got.data).toMatchObject({ id, name: "Launch", channel: "email", status: "draft" });
    const renamed = await t.courier.PUT("/broadcasts/{broadcastId}", {
      params: { path: { broadcastId: id } },
      body: { name: "Launch day" },
    });
    expect(renamed.data?.name).toBe("Launch day");
    expect((await t.courier.GET("/broadcasts")).data?.results.map((b) => b.name)).toEqual(["Launch day"]);

    const archived = await t.courier.DELETE("/broadcasts/{broadcastId}", { params: { path: { broadcastId: id } } });
    expect(archived.response.status).toBe(200);
    expect(archived.data?.archived_at).toBeTruthy();
    expect(
      (await t.courier.GET("/broadcasts/{broadcastId}", { params: { path: { broadcastId: id } } })).response.status,
    ).toBe(404);
    expect((await t.courier.GET("/broadcasts")).data?.results).toEqual([]);
    const again = await t.courier.DELETE("/broadcasts/{broadcastId}", { params: { path: { broadcastId: id } } });
    expect(again.response.status).toBe(404);
  });

  it("lists newest first and pages with limit and cursor", async () => {
    for (let i = 0; i < 5; i++) {
      await create(`b${i}`);
    }
    const first = await t.courier.GET("/broadcasts", { params: { query: { limit: 2 } } });
    expect(first.data?.results.map((b) => b.name)).toEqual(["b4", "b3"]);
    expect(first.data?.paging.more).toBe(true);
    const names: string[] = [...(first.data?.results.map((b) => b.name) ?? [])];
    let cursor = first.data?.paging.cursor;
    while (cursor) {
      const next = await t.courier.GET("/broadcasts", { params: { query: { limit: 2, cursor } } });
      names.push(...(next.data?.results.map((b) => b.name) ?? []));
      cursor = next.data?.paging.cursor;
    }
    expect(names).toEqual(["b4", "b3", "b2", "b1", "b0"]);
    const bad = await t.courier.GET("/broadcasts", { params: { query: { cursor: "garbage" } } });
    expect(bad.response.status).toBe(400);
  });

  it("content: PUT replaces the draft, GET answers it with ids and checksums; duplicate copies it", async () => {
    const id = await create();
    const path = { broadcastId: id };
    const put = await t.courier.PUT("/broadcasts/{broadcastId}/content", { params: { path }, body: content });
    expect(put.data?.elements).toHaveLength(2);
    expect(put.data?.state).toBe("DRAFT");
    const got = await t.courier.GET("/broadcasts/{broadcastId}/content", { params: { path } });
    expect(got.data?.version).toBe("2022-01-01");
    expect(got.data?.elements.map((e) => [e.type, e.checksum])).toEqual(
      put.data?.elements.map((e, i) => [i === 0 ? "text" : "divider", e.checksum]),
    );
    expect(got.data?.elements[0]).toMatchObject({ content: "Hello {{name}}" });
    const unpublished = await t.courier.GET("/broadcasts/{broadcastId}/content", {
      params: { path, query: { version: "published" } },
    });
    expect(unpublished.response.status).toBe(404);

    const copy = await t.courier.POST("/broadcasts/{broadcastId}/duplicate", { params: { path } });
    expect(copy.data).toMatchObject({ name: "Launch (copy)", status: "draft" });
    const copied = await t.courier.GET("/broadcasts/{broadcastId}/content", {
      params: { path: { broadcastId: copy.data?.id ?? "" } },
    });
    expect(copied.data).toEqual(got.data);
  });

  it("send records one message per list member and then refuses edits", async () => {
    await subscribe("beta", ["u1", "u2"]);
    const id = await create();
    const path = { broadcastId: id };
    await t.courier.PUT("/broadcasts/{broadcastId}/content", { params: { path }, body: content });
    const sent = await t.courier.POST("/broadcasts/{broadcastId}/send", {
      params: { path },
      body: { recipient_id: "beta", recipient_type: "list" },
    });
    expect(sent.data?.status).toBe("sent");
    const messages = await t.courier.GET("/messages", { params: { query: { list: "beta" } } });
    expect(messages.data?.results.map((m) => m.recipient).sort()).toEqual(["u1", "u2"]);
    const published = await t.courier.GET("/broadcasts/{broadcastId}/content", {
      params: { path, query: { version: "published" } },
    });
    expect(published.data?.elements).toHaveLength(2);

    const resend = await t.courier.POST("/broadcasts/{broadcastId}/send", {
      params: { path },
      body: { recipient_id: "beta", recipient_type: "list" },
    });
    expect(resend.response.status).toBe(409);
    const edit = await t.courier.PUT("/broadcasts/{broadcastId}/content", { params: { path }, body: content });
    expect(edit.response.status).toBe(409);
    const cancel = await t.courier.POST("/broadcasts/{broadcastId}/cancel", { params: { path } });
    expect(cancel.response.status).toBe(409);
  });

  it("schedule holds the messages until the time, cancel returns to draft and cancels them", async () => {
    await subscribe("beta", ["u1"]);
    const id = await create();
    const path = { broadcastId: id };
    const at = new Date(clock.now() + 3_600_000).toISOString();
    const scheduled = await t.courier.POST("/broadcasts/{broadcastId}/schedule", {
      params: { path },
      body: { recipient_id: "beta", recipient_type: "list", scheduled_to: at, timezone: "UTC" },
    });
    expect(scheduled.data).toMatchObject({ status: "scheduled", schedule: { recipient_id: "beta", scheduled_to: at } });
    const held = await t.courier.GET("/messages", { params: { query: { list: "beta" } } });
    expect(held.data?.results.map((m) => m.status)).toEqual(["ENQUEUED"]);

    const canceled = await t.courier.POST("/broadcasts/{broadcastId}/cancel", { params: { path } });
    expect(canceled.data?.status).toBe("draft");
    expect(canceled.data?.schedule).toBeUndefined();
    const after = await t.courier.GET("/messages", { params: { query: { list: "beta" } } });
    expect(after.data?.results.map((m) => m.status)).toEqual(["CANCELED"]);

    // Scheduled again, it reads `sent` once the time has passed.
    await t.courier.POST("/broadcasts/{broadcastId}/schedule", {
      params: { path },
      body: { recipient_id: "beta", recipient_type: "list", scheduled_to: at },
    });
    clock.advance(3_600_000 + 5000);
    const later = await t.courier.GET("/broadcasts/{broadcastId}", { params: { path } });
    expect(later.data?.status).toBe("sent");
    const delivered = await t.courier.GET("/messages", { params: { query: { list: "beta" } } });
    expect(delivered.data?.results.map((m) => m.status).sort()).toEqual(["CANCELED", "DELIVERED"]);
  });

  it("sends to an audience's members", async () => {
    await t.courier.POST("/profiles/{user_id}", {
      params: { path: { user_id: "sf" } },
      body: { profile: { email: "sf@example.com", location: { city: "SF" } } },
    });
    await t.courier.POST("/profiles/{user_id}", {
      params: { path: { user_id: "ny" } },
      body: { profile: { email: "ny@example.com", location: { city: "NY" } } },
    });
    await t.courier.PUT("/audiences/{audience_id}", {
      params: { path: { audience_id: "sf-users" } },
      body: { filter: { filters: [{ operator: "EQ", path: "location.city", value: "SF" }] } },
    });
    const id = await create();
    await t.courier.POST("/broadcasts/{broadcastId}/send", {
      params: { path: { broadcastId: id } },
      body: { recipient_id: "sf-users", recipient_type: "audience" },
    });
    const messages = await t.courier.GET("/messages");
    expect(messages.data?.results.map((m) => m.recipient)).toEqual(["sf"]);
  });

  it("404s and 400s", async () => {
    const missing = { broadcastId: "nope" };
    expect((await t.courier.GET("/broadcasts/{broadcastId}", { params: { path: missing } })).response.status).toBe(404);
    expect(
      (await t.courier.PUT("/broadcasts/{broadcastId}", { params: { path: missing }, body: { name: "x" } })).response
        .status,
    ).toBe(404);
    expect(
      (await t.courier.POST("/broadcasts/{broadcastId}/duplicate", { params: { path: missing } })).response.status,
    ).toBe(404);
    expect(
      (await t.courier.GET("/broadcasts/{broadcastId}/content", { params: { path: missing } })).response.status,
    ).toBe(404);

    const badChannel = await t.courier.POST("/broadcasts", { body: { channel: "fax" as never, name: "x" } });
    expect(badChannel.response.status).toBe(400);
    const id = await create();
    const path = { broadcastId: id };
    const noList = await t.courier.POST("/broadcasts/{broadcastId}/send", {
      params: { path },
      body: { recipient_id: "ghost", recipient_type: "list" },
    });
    expect(noList.response.status).toBe(404);
    const past = await t.courier.POST("/broadcasts/{broadcastId}/schedule", {
      params: { path },
      body: { recipient_id: "ghost", recipient_type: "list", scheduled_to: "2020-01-01T00:00:00Z" },
    });
    expect(past.response.status).toBe(400);
    const notADate = await t.courier.POST("/broadcasts/{broadcastId}/schedule", {
      params: { path },
      body: { recipient_id: "ghost", recipient_type: "list", scheduled_to: "soon" },
    });
    expect(notADate.response.status).toBe(400);
    const notScheduled = await t.courier.POST("/broadcasts/{broadcastId}/cancel", { params: { path } });
    expect(notScheduled.response.status).toBe(409);
    const badVersion = await t.courier.GET("/broadcasts/{broadcastId}/content", {
      params: { path, query: { version: "v9" } },
    });
    expect(badVersion.response.status).toBe(400);
  });
});
