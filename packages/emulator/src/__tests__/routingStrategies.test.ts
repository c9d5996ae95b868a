import { paginate } from "@courier-ts/client";
import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

const t = setup();

const routing = {
  method: "single" as const,
  channels: ["email", { method: "all" as const, channels: ["push", "sms"] }],
};

async function create(name = "Email first") {
  const { data, response } = await t.courier.POST("/routing-strategies", {
    body: { name, routing, description: "for tests", tags: ["a"] },
  });
  expect(response.status).toBe(200);
  return data;
}

describe("routing strategies", () => {
  it("create, get, list, replace and archive agree", async () => {
    const created = await create();
    const id = created?.id ?? "";
    expect(id).toMatch(/^rs_/);
    expect(created).toMatchObject({ name: "Email first", routing, channels: {}, providers: {}, creator: "api_key" });
    expect((await t.courier.GET("/routing-strategies/{id}", { params: { path: { id } } })).data).toEqual(created);

    const listed = await t.courier.GET("/routing-strategies");
    expect(listed.data).toEqual({
      results: [
        {
          id,
          name: "Email first",
          created: created?.created,
          creator: "api_key",
          description: "for tests",
          tags: ["a"],
        },
      ],
      paging: { cursor: null, more: false },
    });

    const replaced = await t.courier.PUT("/routing-strategies/{id}", {
      params: { path: { id } },
      body: {
        name: "SMS only",
        routing: { method: "single", channels: ["sms"] },
        channels: { sms: { providers: ["twilio"] } },
      },
    });
    expect(replaced.data).toMatchObject({
      id,
      name: "SMS only",
      channels: { sms: { providers: ["twilio"] } },
      updater: "api_key",
    });
    // A replace clears description and tags the body leaves out.
    expect(replaced.data?.description).toBeUndefined();
    expect((await t.courier.GET("/routing-strategies/{id}", { params: { path: { id } } })).data).toEqual(replaced.data);

    const archived = await t.courier.DELETE("/routing-strategies/{id}", { params: { path: { id } } });
    expect(archived.response.status).toBe(204);
    expect((await t.courier.GET("/routing-strategies/{id}", { params: { path: { id } } })).response.status).toBe(404);
    expect((await t.courier.DELETE("/routing-strategies/{id}", { params: { path: { id } } })).response.status).toBe(
      404,
    );
    const replaceMissing = await t.courier.PUT("/routing-strategies/{id}", {
      params: { path: { id } },
      body: { name: "x", routing },
    });
    expect(replaceMissing.response.status).toBe(404);
    expect((await t.courier.GET("/routing-strategies")).data?.results).toEqual([]);
    const events = (await t.courier.GET("/audit-events")).data?.results.map((e) => e.type);
    expect(events).toEqual(["routing_strategy:archived", "routing_strategy:updated", "routing_strategy:created"]);
  });

  it("a body without routing, or with a bad routing method, is 400", async () => {
    const missing = await t.courier.POST("/routing-strategies", { body: { name: "x" } as never });
    expect(missing.response.status).toBe(400);
    expect(missing.error).toMatchObject({ message: "Invalid request body: routing is required" });
    const bad = await t.courier.POST("/routing-strategies", {
      body: { name: "x", routing: { method: "some", channels: [] } } as never,
    });
    expect(bad.response.status).toBe(400);
    expect((await t.courier.GET("/routing-strategies")).data?.results).toEqual([]);
  });

  it("pages with limit and cursor", async () => {
    for (let i = 0; i < 5; i++) {
      await create(`S${i}`);
    }
    const first = await t.courier.GET("/routing-strategies", { params: { query: { limit: 2 } } });
    expect(first.data?.results.map((s) => s.name)).toEqual(["S0", "S1"]);
    expect(first.data?.paging.more).toBe(true);
    const names: string[] = [];
    for await (const s of paginate(t.courier, "/routing-strategies", { params: { query: { limit: 2 } } })) {
      names.push(s.name);
    }
    expect(names).toEqual(["S0", "S1", "S2", "S3", "S4"]);
    expect((await t.courier.GET("/routing-strategies", { params: { query: { limit: 0 } } })).response.status).toBe(400);
  });

  it("lists the notification templates that use the strategy", async () => {
    const strategy = await create();
    const id = strategy?.id ?? "";
    const content = { version: "2022-01-01", elements: [] };
    const base = { tags: ["t"], brand: { id: "b" }, subscription: { topic_id: "news" }, content };
    const uses = await t.courier.POST("/notifications", {
      body: { notification: { ...base, name: "Uses it", routing: { strategy_id: id } } },
    });
    await t.courier.POST("/notifications", {
      body: { notification: { ...base, name: "Other", routing: { strategy_id: "rs_other" } } },
    });
    const listed = await t.courier.GET("/routing-strategies/{id}/notifications", { params: { path: { id } } });
    expect(listed.data).toEqual({
      results: [
        {
          id: uses.data?.id,
          name: "Uses it",
          state: "DRAFT",
          tags: ["t"],
          topic_id: "news",
          created: uses.data?.created,
          creator: "api_key",
          updated: uses.data?.updated,
          updater: "api_key",
        },
      ],
      paging: { cursor: null, more: false },
    });
    const missing = await t.courier.GET("/routing-strategies/{id}/notifications", {
      params: { path: { id: "rs_no" } },
    });
    expect(missing.response.status).toBe(404);
  });
});
