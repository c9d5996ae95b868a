import { paginate } from "@courier-ts/client";
import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

const automations = Object.fromEntries(
  Array.from({ length: 23 }, (_, i) => [`template-${i}`, [{ action: "send", template: "WELCOME" }]]),
);
const t = setup({ automations });

describe("GET /automations", () => {
  it("lists the automation templates the emulator was started with, paged", async () => {
    const first = await t.courier.GET("/automations");
    expect(first.data?.templates).toHaveLength(20);
    expect(first.data?.templates?.[0]).toEqual({ id: "template-0", name: "template-0", version: "published" });
    expect(typeof first.data?.cursor).toBe("string");
    const ids: string[] = [];
    for await (const template of paginate(t.courier, "/automations")) {
      // The page item type is unknown where the spec makes `templates` optional.
      ids.push((template as { id: string }).id);
    }
    expect(ids).toEqual(Object.keys(automations));
    const last = await t.courier.GET("/automations", { params: { query: { cursor: first.data?.cursor } } });
    expect(last.data?.templates).toHaveLength(3);
    expect(last.data?.cursor).toBeUndefined();
  });

  it("answers the version asked for; an unknown version is 400", async () => {
    const drafts = await t.courier.GET("/automations", { params: { query: { version: "draft" } } });
    expect(drafts.data?.templates?.every((x) => x.version === "draft")).toBe(true);
    const bad = await t.courier.GET("/automations", { params: { query: { version: "old" as never } } });
    expect(bad.response.status).toBe(400);
  });

  it("the listed templates are the ones invoke accepts", async () => {
    const invoked = await t.courier.POST("/automations/{templateId}/invoke", {
      params: { path: { templateId: "template-3" } },
      body: { recipient: "u1" },
    });
    expect(invoked.response.status).toBe(200);
  });
});
