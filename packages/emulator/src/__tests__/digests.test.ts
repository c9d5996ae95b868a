import type { components } from "@courier-ts/core";
import { describe, expect, it } from "vitest";
import { manualClock, setup } from "./helpers.js";

type JourneyNode = components["schemas"]["JourneyNode"];

const clock = manualClock();
const t = setup({ now: clock.now, stepMs: 1000 });

/** A published journey whose only work is adding the run's event to the `weekly` digest. */
async function digestJourney(): Promise<string> {
  const nodes: JourneyNode[] = [
    { type: "trigger", trigger_type: "api-invoke" },
    { type: "add-to-digest", subscription_topic_id: "weekly" },
  ];
  const created = await t.courier.POST("/journeys", { body: { name: "Digest", nodes, state: "PUBLISHED" } });
  return created.data?.id ?? "";
}

async function invoke(templateId: string, user: string, data: Record<string, unknown>) {
  const invoked = await t.courier.POST("/journeys/{templateId}/invoke", {
    params: { path: { templateId } },
    body: { user_id: user, profile: { email: `${user}@example.com` }, data },
  });
  expect(invoked.response.status).toBe(200);
}

const weekly = { schedule_id: "weekly" };

describe("digests", () => {
  it("collects events per user, releases them on trigger as one message each, then opens new instances", async () => {
    const journey = await digestJourney();
    await invoke(journey, "u1", { item: "a" });
    await invoke(journey, "u1", { item: "b" });
    await invoke(journey, "u2", { item: "c" });

    const open = await t.courier.GET("/digests/schedules/{schedule_id}/instances", { params: { path: weekly } });
    expect(open.data).toMatchObject({ type: "list", has_more: false });
    expect(open.data?.items.map((i) => [i.user_id, i.event_count, i.status])).toEqual([
      ["u1", 2, "IN_PROGRESS"],
      ["u2", 1, "IN_PROGRESS"],
    ]);

    const released = await t.courier.POST("/digests/schedules/{schedule_id}/trigger", { params: { path: weekly } });
    expect(released.response.status).toBe(204);
    const after = await t.courier.GET("/digests/schedules/{schedule_id}/instances", { params: { path: weekly } });
    expect(after.data?.items.map((i) => i.status)).toEqual(["COMPLETED", "COMPLETED"]);
    const messages = await t.courier.GET("/messages", { params: { query: { notification: "weekly" } } });
    expect(messages.data?.results.map((m) => m.recipient).sort()).toEqual(["u1", "u2"]);

    // A second release with nothing new sends nothing; a new event opens a new instance.
    await t.courier.POST("/digests/schedules/{schedule_id}/trigger", { params: { path: weekly } });
    expect(
      (await t.courier.GET("/messages", { params: { query: { notification: "weekly" } } })).data?.results,
    ).toHaveLength(2);
    await invoke(journey, "u1", { item: "d" });
    const reopened = await t.courier.GET("/digests/schedules/{schedule_id}/instances", { params: { path: weekly } });
    expect(reopened.data?.items.map((i) => [i.user_id, i.status])).toEqual([
      ["u1", "COMPLETED"],
      ["u2", "COMPLETED"],
      ["u1", "IN_PROGRESS"],
    ]);
  });

  it("pages instances with limit and cursor; an unknown schedule has none", async () => {
    const journey = await digestJourney();
    for (let i = 0; i < 5; i++) {
      await invoke(journey, `u${i}`, {});
      clock.advance(1000);
    }
    const users: string[] = [];
    let cursor: string | undefined;
    do {
      const pageOf = await t.courier.GET("/digests/schedules/{schedule_id}/instances", {
        params: { path: weekly, query: { limit: 2, ...(cursor ? { cursor } : {}) } },
      });
      expect(pageOf.data?.items.length).toBeLessThanOrEqual(2);
      users.push(...(pageOf.data?.items.map((i) => i.user_id) ?? []));
      cursor = pageOf.data?.cursor ?? undefined;
      expect(pageOf.data?.has_more).toBe(cursor !== undefined);
    } while (cursor);
    expect(users).toEqual(["u0", "u1", "u2", "u3", "u4"]);

    const none = await t.courier.GET("/digests/schedules/{schedule_id}/instances", {
      params: { path: { schedule_id: "never-used" } },
    });
    expect(none.data?.items).toEqual([]);
    const badLimit = await t.courier.GET("/digests/schedules/{schedule_id}/instances", {
      params: { path: weekly, query: { limit: 0 } },
    });
    expect(badLimit.response.status).toBe(400);
    const badCursor = await t.courier.GET("/digests/schedules/{schedule_id}/instances", {
      params: { path: weekly, query: { cursor: "x" } },
    });
    expect(badCursor.response.status).toBe(400);
  });
});
