import { paginate } from "@courier-ts/client";
import { describe, expect, it } from "vitest";
import { manualClock, setup } from "./helpers.js";

const clock = manualClock();
const t = setup({ now: clock.now });

const content = (text: string) => ({ version: "2022-01-01", elements: [{ type: "text" as const, content: text }] });
const routing = { method: "single" as const, channels: ["email", "sms"] };

async function tenant(tenant_id = "acme") {
  await t.courier.PUT("/tenants/{tenant_id}", { params: { path: { tenant_id } }, body: { name: tenant_id } });
}

function put(template_id: string, text: string, published?: boolean, tenant_id = "acme") {
  const body = { template: { content: content(text), routing }, ...(published === undefined ? {} : { published }) };
  return t.courier.PUT("/tenants/{tenant_id}/templates/{template_id}", {
    params: { path: { tenant_id, template_id } },
    body,
  });
}

/** Beyond the spec's fields, the emulator answers a version's `data` (its content and routing). */
type VersionData = { data: { routing: unknown; content: unknown } };

async function version(template_id: string, v: string) {
  const result = await t.courier.GET("/tenants/{tenant_id}/templates/{template_id}/versions/{version}", {
    params: { path: { tenant_id: "acme", template_id, version: v } },
  });
  return { ...result, data: result.data as (typeof result.data & VersionData) | undefined };
}

describe("tenant templates", () => {
  it("PUT creates (201) then versions (200); get, list and versions agree", async () => {
    await tenant();
    const start = clock.now();
    const created = await put("welcome", "Hello");
    expect(created.response.status).toBe(201);
    expect(created.data).toEqual({ id: "welcome", version: "v1", published_at: null });
    clock.advance(1000);
    const updated = await put("welcome", "Hello again");
    expect(updated.response.status).toBe(200);
    expect(updated.data?.version).toBe("v2");

    const got = await t.courier.GET("/tenants/{tenant_id}/templates/{template_id}", {
      params: { path: { tenant_id: "acme", template_id: "welcome" } },
    });
    expect(got.data).toEqual({
      id: "welcome",
      version: "v2",
      created_at: new Date(start).toISOString(),
      updated_at: new Date(start + 1000).toISOString(),
      published_at: null,
    });
    const list = await t.courier.GET("/tenants/{tenant_id}/templates", { params: { path: { tenant_id: "acme" } } });
    expect(list.data).toMatchObject({ has_more: false, type: "list", url: "/tenants/acme/templates" });
    expect(list.data?.items).toEqual([{ ...got.data, data: { routing } }]);

    expect((await version("welcome", "v1")).data).toMatchObject({
      version: "v1",
      data: { routing, content: content("Hello") },
    });
    expect((await version("welcome", "latest")).data?.data.content).toEqual(content("Hello again"));
    expect((await version("welcome", "published")).response.status).toBe(404);
    expect((await version("welcome", "v9")).response.status).toBe(404);
    expect((await version("welcome", "newest")).response.status).toBe(400);
  });

  it("publishes the latest version by default, or a named one", async () => {
    await tenant();
    await put("welcome", "One");
    await put("welcome", "Two");
    clock.advance(5000);
    const at = new Date(clock.now()).toISOString();
    const latest = await t.courier.POST("/tenants/{tenant_id}/templates/{template_id}/publish", {
      params: { path: { tenant_id: "acme", template_id: "welcome" } },
    });
    expect(latest.data).toEqual({ id: "welcome", version: "v2", published_at: at });
    expect((await version("welcome", "published")).data?.data.content).toEqual(content("Two"));

    const older = await t.courier.POST("/tenants/{tenant_id}/templates/{template_id}/publish", {
      params: { path: { tenant_id: "acme", template_id: "welcome" } },
      body: { version: "v1" },
    });
    expect(older.data?.version).toBe("v1");
    expect((await version("welcome", "published")).data).toMatchObject({
      version: "v1",
      data: { content: content("One") },
    });

    const missing = await t.courier.POST("/tenants/{tenant_id}/templates/{template_id}/publish", {
      params: { path: { tenant_id: "acme", template_id: "welcome" } },
      body: { version: "v7" },
    });
    expect(missing.response.status).toBe(404);
    const bad = await t.courier.POST("/tenants/{tenant_id}/templates/{template_id}/publish", {
      params: { path: { tenant_id: "acme", template_id: "welcome" } },
      body: { version: "first" },
    });
    expect(bad.response.status).toBe(400);
    const unknown = await t.courier.POST("/tenants/{tenant_id}/templates/{template_id}/publish", {
      params: { path: { tenant_id: "acme", template_id: "nope" } },
    });
    expect(unknown.response.status).toBe(404);

    // `published: true` on PUT publishes that version at once.
    const direct = await put("welcome", "Three", true);
    expect(direct.data).toEqual({ id: "welcome", version: "v3", published_at: at });
    expect((await version("welcome", "published")).data?.version).toBe("v3");
  });

  it("a template without routing answers its channels as routing", async () => {
    await tenant();
    const body = { template: { content: content("x"), channels: { email: {}, push: {} } } };
    await t.courier.PUT("/tenants/{tenant_id}/templates/{template_id}", {
      params: { path: { tenant_id: "acme", template_id: "bare" } },
      body,
    });
    expect((await version("bare", "latest")).data?.data.routing).toEqual({
      method: "single",
      channels: ["email", "push"],
    });
  });

  it("delete, 404s for unknown tenants and templates, 400 for a body without content", async () => {
    await tenant();
    await put("welcome", "x");
    const path = { tenant_id: "acme", template_id: "welcome" };
    expect(
      (await t.courier.DELETE("/tenants/{tenant_id}/templates/{template_id}", { params: { path } })).response.status,
    ).toBe(204);
    expect(
      (await t.courier.GET("/tenants/{tenant_id}/templates/{template_id}", { params: { path } })).response.status,
    ).toBe(404);
    expect(
      (await t.courier.DELETE("/tenants/{tenant_id}/templates/{template_id}", { params: { path } })).response.status,
    ).toBe(404);
    expect((await put("welcome", "x", false, "ghost")).response.status).toBe(404);
    const list = await t.courier.GET("/tenants/{tenant_id}/templates", { params: { path: { tenant_id: "ghost" } } });
    expect(list.response.status).toBe(404);
    const bad = await t.courier.PUT("/tenants/{tenant_id}/templates/{template_id}", {
      params: { path },
      body: { template: { routing } } as never,
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ message: "Invalid request body: template.content is required" });
  });

  it("deleting the tenant deletes its templates", async () => {
    await tenant();
    await put("welcome", "x");
    await t.courier.DELETE("/tenants/{tenant_id}", { params: { path: { tenant_id: "acme" } } });
    await tenant();
    const list = await t.courier.GET("/tenants/{tenant_id}/templates", { params: { path: { tenant_id: "acme" } } });
    expect(list.data?.items).toEqual([]);
  });

  it("pages a tenant's templates", async () => {
    await tenant();
    for (let i = 0; i < 5; i++) {
      await put(`tpl${i}`, "x");
    }
    const ids: string[] = [];
    for await (const item of paginate(t.courier, "/tenants/{tenant_id}/templates", {
      params: { path: { tenant_id: "acme" }, query: { limit: 2 } },
    })) {
      // The page item type is unknown where the spec makes `items` optional.
      ids.push((item as { id: string }).id);
    }
    expect(ids).toEqual(["tpl0", "tpl1", "tpl2", "tpl3", "tpl4"]);
    const events = (await t.courier.GET("/audit-events")).data?.results ?? [];
    expect(events[0]).toMatchObject({ type: "tenant:template:created", target: "acme/tpl4" });
  });
});
