import { paginate } from "@courier-ts/client";
import { describe, expect, it } from "vitest";
import { notificationsSeed } from "../handlers/notifications.js";
import { setup } from "./helpers.js";

const t = setup();

const content = {
  version: "2022-01-01",
  elements: [
    { type: "meta" as const, title: "Welcome" },
    { type: "text" as const, content: "Hello {{name}}" },
  ],
};
const notification = {
  name: "Welcome",
  tags: ["onboarding"],
  brand: { id: "brand_abc" },
  subscription: { topic_id: "marketing" },
  routing: { strategy_id: "rs_123" },
  content,
};

async function create(state?: "DRAFT" | "PUBLISHED", body = notification) {
  const { data, response } = await t.courier.POST("/notifications", {
    body: { notification: body, ...(state ? { state } : {}) },
  });
  expect(response.status).toBe(200);
  if (!data) {
    throw new Error("POST /notifications answered no body");
  }
  return data;
}

function get(id: string, version?: string) {
  return t.courier.GET("/notifications/{id}", { params: { path: { id }, query: version ? { version } : {} } });
}

describe("notification templates", () => {
  it("create is a draft with element ids; GET answers the published copy, or the draft when asked", async () => {
    const created = await create();
    expect(created).toMatchObject({ ...notification, state: "DRAFT", creator: "api_key" });
    expect(created.content.elements.map((e) => (e as { id?: string }).id)).toEqual(["elem_1", "elem_2"]);

    expect((await get(created.id)).response.status).toBe(404);
    const draft = await get(created.id, "draft");
    expect(draft.data).toEqual(created);

    const published = await t.courier.POST("/notifications/{id}/publish", { params: { path: { id: created.id } } });
    expect(published.response.status).toBe(204);
    expect((await get(created.id)).data).toMatchObject({ name: "Welcome", state: "PUBLISHED" });
    expect((await get(created.id, "v1")).data?.state).toBe("PUBLISHED");
    expect((await get(created.id, "draft")).data?.state).toBe("PUBLISHED");
  });

  it("create with state PUBLISHED publishes at once; replace changes only the draft until published", async () => {
    const created = await create("PUBLISHED");
    expect(created.state).toBe("PUBLISHED");
    const replaced = await t.courier.PUT("/notifications/{id}", {
      params: { path: { id: created.id } },
      body: { notification: { ...notification, name: "Welcome v2", brand: { id: "other" }, tags: [] } },
    });
    expect(replaced.data).toMatchObject({ name: "Welcome v2", brand: { id: "other" }, tags: [], state: "DRAFT" });
    expect((await get(created.id)).data?.name).toBe("Welcome");
    expect((await get(created.id, "draft")).data?.name).toBe("Welcome v2");

    await t.courier.PUT("/notifications/{id}", {
      params: { path: { id: created.id } },
      body: { notification: { ...notification, name: "Welcome v3" }, state: "PUBLISHED" },
    });
    expect((await get(created.id)).data?.name).toBe("Welcome v3");

    const versions = await t.courier.GET("/notifications/{id}/versions", { params: { path: { id: created.id } } });
    expect(versions.data?.versions.map((v) => [v.version, v.has_changes])).toEqual([
      ["draft", false],
      ["v2", undefined],
      ["v1", undefined],
    ]);

    // Publishing a named version rolls the published copy back to it.
    await t.courier.POST("/notifications/{id}/publish", {
      params: { path: { id: created.id } },
      body: { version: "v1" },
    });
    expect((await get(created.id)).data?.name).toBe("Welcome");
    const missing = await t.courier.POST("/notifications/{id}/publish", {
      params: { path: { id: created.id } },
      body: { version: "v9" },
    });
    expect(missing.response.status).toBe(404);
  });

  it("list, paging, archive and 404s agree", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      ids.push((await create(undefined, { ...notification, name: `N${i}` })).id);
    }
    const first = await t.courier.GET("/notifications");
    expect(first.data?.results).toHaveLength(20);
    expect(first.data?.results[0]).toMatchObject({
      id: ids[0],
      title: "N0",
      topic_id: "marketing",
      tags: { data: [{ id: "onboarding", name: "onboarding" }] },
      routing: { method: "single", channels: [] },
    });
    const all: string[] = [];
    for await (const n of paginate(t.courier, "/notifications")) {
      all.push(n.id);
    }
    expect(all).toEqual(ids);

    const archived = await t.courier.DELETE("/notifications/{id}", { params: { path: { id: ids[0] ?? "" } } });
    expect(archived.response.status).toBe(204);
    expect((await get(ids[0] ?? "", "draft")).response.status).toBe(404);
    expect(
      (await t.courier.DELETE("/notifications/{id}", { params: { path: { id: ids[0] ?? "" } } })).response.status,
    ).toBe(404);
    const after: string[] = [];
    for await (const n of paginate(t.courier, "/notifications")) {
      after.push(n.id);
    }
    expect(after).toEqual(ids.slice(1));

    const replaceMissing = await t.courier.PUT("/notifications/{id}", {
      params: { path: { id: "nope" } },
      body: { notification },
    });
    expect(replaceMissing.response.status).toBe(404);
    for (const path of [
      "/notifications/{id}/versions",
      "/notifications/{id}/content",
      "/notifications/{id}/draft/content",
    ] as const) {
      expect((await t.courier.GET(path, { params: { path: { id: "nope" } } })).response.status).toBe(404);
    }
  });

  it("a body missing required fields is 400 naming the field, and stores nothing", async () => {
    const { content: _content, ...noContent } = notification;
    const missing = await t.courier.POST("/notifications", { body: { notification: noContent } as never });
    expect(missing.response.status).toBe(400);
    expect(missing.error).toMatchObject({ message: "Invalid request body: notification.content is required" });
    const badState = await t.courier.POST("/notifications", { body: { notification, state: "LIVE" } as never });
    expect(badState.response.status).toBe(400);
    expect((await t.courier.GET("/notifications")).data?.results).toEqual([]);
  });
});

describe("notification content", () => {
  it("PUT content replaces the elements; GET content answers them with checksums", async () => {
    const { id } = await create();
    const put = await t.courier.PUT("/notifications/{id}/content", {
      params: { path: { id } },
      body: {
        content: {
          elements: [
            { type: "text", content: "Hi" },
            { type: "action", content: "Go", href: "/x" },
          ],
        },
      },
    });
    expect(put.data).toMatchObject({ id, state: "DRAFT", version: "2022-01-01" });
    expect(put.data?.elements.map((e) => e.id)).toEqual(["elem_3", "elem_4"]);
    const got = await t.courier.GET("/notifications/{id}/content", {
      params: { path: { id }, query: { version: "draft" } },
    });
    expect(got.data).toMatchObject({
      version: "2022-01-01",
      elements: [
        { id: "elem_3", type: "text", content: "Hi", checksum: put.data?.elements[0]?.checksum },
        { id: "elem_4", type: "action", href: "/x" },
      ],
    });
    // The published copy is still the empty one until publish.
    expect((await t.courier.GET("/notifications/{id}/content", { params: { path: { id } } })).response.status).toBe(
      404,
    );
  });

  it("PUT element merges into one element; an unknown element is 404", async () => {
    const { id } = await create();
    const put = await t.courier.PUT("/notifications/{id}/elements/{elementId}", {
      params: { path: { id, elementId: "elem_2" } },
      body: { type: "text", data: { content: "Updated text" }, state: "PUBLISHED" },
    });
    expect(put.data?.state).toBe("PUBLISHED");
    const published = await get(id);
    expect(published.data?.content.elements[1]).toEqual({ id: "elem_2", type: "text", content: "Updated text" });
    expect(published.data?.content.elements[0]).toEqual({ id: "elem_1", type: "meta", title: "Welcome" });
    const before = put.data?.elements.find((e) => e.id === "elem_2")?.checksum;
    const again = await t.courier.PUT("/notifications/{id}/elements/{elementId}", {
      params: { path: { id, elementId: "elem_2" } },
      body: { type: "text", data: { content: "Changed" } },
    });
    expect(again.data?.elements.find((e) => e.id === "elem_2")?.checksum).not.toBe(before);
    const missing = await t.courier.PUT("/notifications/{id}/elements/{elementId}", {
      params: { path: { id, elementId: "elem_99" } },
      body: { type: "text" },
    });
    expect(missing.response.status).toBe(404);
    const noType = await t.courier.PUT("/notifications/{id}/elements/{elementId}", {
      params: { path: { id, elementId: "elem_2" } },
      body: {} as never,
    });
    expect(noType.response.status).toBe(400);
  });

  it("PUT locale sets per-element overrides; every id must exist, or nothing changes", async () => {
    const { id } = await create();
    const put = await t.courier.PUT("/notifications/{id}/locales/{localeId}", {
      params: { path: { id, localeId: "es" } },
      body: {
        elements: [
          { id: "elem_2", content: "Hola {{name}}" },
          { id: "elem_1", title: "Bienvenido" },
        ],
      },
    });
    expect(put.response.status).toBe(200);
    const got = await t.courier.GET("/notifications/{id}/content", {
      params: { path: { id }, query: { version: "draft" } },
    });
    const [meta, text] = got.data && "elements" in got.data ? got.data.elements : [];
    expect(text?.locales?.es).toMatchObject({ content: "Hola {{name}}" });
    expect(meta?.locales?.es).toMatchObject({ title: "Bienvenido" });
    expect(typeof text?.locales?.es?.checksum).toBe("string");

    const proto = await t.courier.PUT("/notifications/{id}/locales/{localeId}", {
      params: { path: { id, localeId: "__proto__" } },
      body: { elements: [{ id: "elem_2", content: "x" }] },
    });
    expect(proto.response.status).toBe(200);
    expect(({} as Record<string, unknown>).content).toBeUndefined();

    const bad = await t.courier.PUT("/notifications/{id}/locales/{localeId}", {
      params: { path: { id, localeId: "fr" } },
      body: {
        elements: [
          { id: "elem_1", title: "Bienvenue" },
          { id: "elem_404", content: "?" },
        ],
      },
    });
    expect(bad.response.status).toBe(400);
    const after = await t.courier.GET("/notifications/{id}/content", {
      params: { path: { id }, query: { version: "draft" } },
    });
    const elements = after.data && "elements" in after.data ? after.data.elements : [];
    expect(elements[0]?.locales?.fr).toBeUndefined();
  });

  it("the draft content view lists blocks and a checksum", async () => {
    const { id } = await create();
    const draft = await t.courier.GET("/notifications/{id}/draft/content", { params: { path: { id } } });
    expect(draft.data).toMatchObject({
      blocks: [{ id: "elem_2", type: "text", content: "Hello {{name}}" }],
      channels: [],
    });
    expect(typeof draft.data?.checksum).toBe("string");
  });
});

describe("submission checks", () => {
  it("PUT replaces a submission's checks, GET reads them, DELETE cancels the submission", async () => {
    const { id } = await create();
    const path = { id, submissionId: "sub_1" };
    expect((await t.courier.GET("/notifications/{id}/{submissionId}/checks", { params: { path } })).data).toEqual({
      checks: [],
    });
    const put = await t.courier.PUT("/notifications/{id}/{submissionId}/checks", {
      params: { path },
      body: { checks: [{ id: "legal", status: "PENDING", type: "custom" }] },
    });
    expect(put.data?.checks).toEqual([{ id: "legal", status: "PENDING", type: "custom", updated: expect.any(Number) }]);
    expect((await t.courier.GET("/notifications/{id}/{submissionId}/checks", { params: { path } })).data).toEqual(
      put.data,
    );
    const canceled = await t.courier.DELETE("/notifications/{id}/{submissionId}/checks", { params: { path } });
    expect(canceled.response.status).toBe(204);
    expect((await t.courier.GET("/notifications/{id}/{submissionId}/checks", { params: { path } })).data).toEqual({
      checks: [],
    });
    const bad = await t.courier.PUT("/notifications/{id}/{submissionId}/checks", {
      params: { path },
      body: { checks: [{ id: "legal", status: "DONE", type: "custom" }] } as never,
    });
    expect(bad.response.status).toBe(400);
    const unknown = await t.courier.GET("/notifications/{id}/{submissionId}/checks", {
      params: { path: { id: "nope", submissionId: "sub_1" } },
    });
    expect(unknown.response.status).toBe(404);
  });

  it("changes are audit events", async () => {
    const { id } = await create("PUBLISHED");
    await t.courier.DELETE("/notifications/{id}", { params: { path: { id } } });
    const events = (await t.courier.GET("/audit-events")).data?.results.map((e) => e.type);
    expect(events).toEqual(["notification:archived", "notification:published", "notification:created"]);
  });
});

describe("notifications seed", () => {
  it("loads published templates with known ids, or drafts when asked", async () => {
    notificationsSeed.load(
      t.emulator.state,
      [
        { id: "WELCOME", name: "Welcome", content },
        { id: "DRAFTY", name: "Drafty", content, state: "DRAFT" },
      ],
      Date.parse("2026-01-01"),
    );
    const welcome = await t.courier.GET("/notifications/{id}", { params: { path: { id: "WELCOME" } } });
    expect(welcome.data).toMatchObject({ id: "WELCOME", name: "Welcome", state: "PUBLISHED", tags: [], brand: null });
    expect((await get("DRAFTY")).response.status).toBe(404);
    const drafty = await t.courier.GET("/notifications/{id}", {
      params: { path: { id: "DRAFTY" }, query: { version: "draft" } },
    });
    expect(drafty.data?.state).toBe("DRAFT");
    expect(() => notificationsSeed.load(t.emulator.state, [{ id: "X", name: "no content" }], 0)).toThrow(
      "notifications[0]: Invalid request body: notification.content is required",
    );
  });
});
