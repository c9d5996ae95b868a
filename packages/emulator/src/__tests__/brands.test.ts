import { paginate } from "@courier-ts/client";
import { describe, expect, it } from "vitest";
import { brandsSeed } from "../handlers/brands.js";
import { setup } from "./helpers.js";

const t = setup();

const settings = { colors: { primary: "#9122C2", secondary: "#C1B834" } };

describe("brands", () => {
  it("create, get, list, replace and delete agree with each other", async () => {
    const created = await t.courier.POST("/brands", { body: { name: "Acme", settings } });
    expect(created.response.status).toBe(200);
    const id = created.data?.id ?? "";
    expect(created.data).toMatchObject({ id, name: "Acme", settings, version: "v1" });
    expect(created.data?.created).toBe(created.data?.updated);

    const got = await t.courier.GET("/brands/{brand_id}", { params: { path: { brand_id: id } } });
    expect(got.data).toEqual(created.data);
    const listed = await t.courier.GET("/brands");
    expect(listed.data).toEqual({ results: [created.data], paging: { cursor: null, more: false } });

    const replaced = await t.courier.PUT("/brands/{brand_id}", {
      params: { path: { brand_id: id } },
      body: { name: "Acme 2", snippets: { items: [{ name: "sig", value: "Bye" }] } },
    });
    expect(replaced.data).toMatchObject({ id, name: "Acme 2", version: "v2", snippets: { items: [{ name: "sig" }] } });
    // A replace clears what the body leaves out.
    expect(replaced.data?.settings).toBeUndefined();
    expect((await t.courier.GET("/brands/{brand_id}", { params: { path: { brand_id: id } } })).data).toEqual(
      replaced.data,
    );

    const deleted = await t.courier.DELETE("/brands/{brand_id}", { params: { path: { brand_id: id } } });
    expect(deleted.response.status).toBe(204);
    const gone = await t.courier.GET("/brands/{brand_id}", { params: { path: { brand_id: id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toMatchObject({ type: "invalid_request_error" });
    expect((await t.courier.GET("/brands")).data?.results).toEqual([]);
  });

  it("a caller-chosen id is kept, and reusing it is 409 Already Exists", async () => {
    const first = await t.courier.POST("/brands", { body: { id: "__proto__", name: "Odd id" } });
    expect(first.data?.id).toBe("__proto__");
    const again = await t.courier.POST("/brands", { body: { id: "__proto__", name: "Again" } });
    expect(again.response.status).toBe(409);
    expect(again.error).toEqual({ message: "Already Exists", type: "invalid_request_error" });
    const got = await t.courier.GET("/brands/{brand_id}", { params: { path: { brand_id: "__proto__" } } });
    expect(got.data?.name).toBe("Odd id");
  });

  it("replace and delete of an unknown brand are 404", async () => {
    const path = { brand_id: "missing" };
    expect((await t.courier.PUT("/brands/{brand_id}", { params: { path }, body: { name: "x" } })).response.status).toBe(
      404,
    );
    expect((await t.courier.DELETE("/brands/{brand_id}", { params: { path } })).response.status).toBe(404);
  });

  it("a body without name, or with a wrong type, is 400 naming the field", async () => {
    const missing = await t.courier.POST("/brands", { body: {} as never });
    expect(missing.response.status).toBe(400);
    expect(missing.error).toMatchObject({ message: "Invalid request body: name is required" });
    const wrong = await t.courier.POST("/brands", { body: { name: 5 } as never });
    expect(wrong.response.status).toBe(400);
    expect(wrong.error).toMatchObject({ message: "Invalid request body: name must be string" });
    expect((await t.courier.GET("/brands")).data?.results).toEqual([]);
  });

  it("cursor-pages through 45 brands in creation order", async () => {
    for (let i = 0; i < 45; i++) {
      await t.courier.POST("/brands", { body: { id: `b${i}`, name: `Brand ${i}` } });
    }
    const first = await t.courier.GET("/brands");
    expect(first.data?.results).toHaveLength(20);
    expect(first.data?.paging.more).toBe(true);
    const ids: string[] = [];
    for await (const brand of paginate(t.courier, "/brands")) {
      ids.push(brand.id);
    }
    expect(ids).toEqual(Array.from({ length: 45 }, (_, i) => `b${i}`));
    const bad = await t.courier.GET("/brands", { params: { query: { cursor: "not-a-cursor" } } });
    expect(bad.response.status).toBe(400);
  });

  it("every change is an audit event, newest first", async () => {
    const { data } = await t.courier.POST("/brands", { body: { id: "audited", name: "A" } });
    await t.courier.PUT("/brands/{brand_id}", { params: { path: { brand_id: "audited" } }, body: { name: "B" } });
    await t.courier.DELETE("/brands/{brand_id}", { params: { path: { brand_id: "audited" } } });
    const events = (await t.courier.GET("/audit-events")).data?.results ?? [];
    expect(events.map((e) => [e.type, e.target])).toEqual([
      ["brand:deleted", "audited"],
      ["brand:updated", "audited"],
      ["brand:created", "audited"],
    ]);
    expect(data?.id).toBe("audited");
    const one = await t.courier.GET("/audit-events/{audit-event-id}", {
      params: { path: { "audit-event-id": events[2]?.auditEventId ?? "" } },
    });
    expect(one.data).toEqual(events[2]);
    expect(one.data?.actor.id).not.toContain("emulator-test-key");
    const missing = await t.courier.GET("/audit-events/{audit-event-id}", {
      params: { path: { "audit-event-id": "nope" } },
    });
    expect(missing.response.status).toBe(404);
  });

  it("seeds brands with known ids, and refuses an item without one", async () => {
    brandsSeed.load(t.emulator.state, [{ id: "seeded", name: "Seeded", settings }], Date.parse("2026-01-01"));
    const got = await t.courier.GET("/brands/{brand_id}", { params: { path: { brand_id: "seeded" } } });
    expect(got.data).toMatchObject({ id: "seeded", name: "Seeded", settings, created: Date.parse("2026-01-01") });
    expect(() => brandsSeed.load(t.emulator.state, [{ name: "no id" }], 0)).toThrow("brands[0]: id is required");
    expect(() => brandsSeed.load(t.emulator.state, [{ id: "x" }], 0)).toThrow("brands[0]: Invalid request body");
  });
});
