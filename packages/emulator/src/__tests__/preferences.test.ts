import { describe, expect, it } from "vitest";
import { preferencesSeed } from "../handlers/userPreferences.js";
import { manualClock, setup } from "./helpers.js";

const clock = manualClock();
const t = setup({ now: clock.now });
/** The clock as the emulator writes it (tests share the clock, so never a fixed date). */
const at = (offsetMs = 0) => new Date(clock.now() + offsetMs).toISOString();

async function createSection(name: string) {
  const { data, response } = await t.courier.POST("/preferences/sections", {
    body: { name, routing_options: ["email", "push"] },
  });
  expect(response.status).toBe(200);
  return data?.id ?? "";
}

describe("workspace preferences: sections", () => {
  it("create, get, list, replace and archive agree with each other", async () => {
    const start = at();
    const id = await createSection("Marketing");
    const got = await t.courier.GET("/preferences/sections/{section_id}", { params: { path: { section_id: id } } });
    expect(got.data).toEqual({
      id,
      name: "Marketing",
      description: null,
      has_custom_routing: false,
      routing_options: ["email", "push"],
      created: start,
      updated: null,
      topics: [],
    });
    const other = await createSection("Billing");
    const listed = await t.courier.GET("/preferences/sections");
    expect(listed.data?.results.map((s) => s.name)).toEqual(["Marketing", "Billing"]);

    clock.advance(1000);
    const replaced = await t.courier.PUT("/preferences/sections/{section_id}", {
      params: { path: { section_id: id } },
      body: { name: "News", has_custom_routing: true },
    });
    expect(replaced.data).toMatchObject({
      id,
      name: "News",
      has_custom_routing: true,
      routing_options: [],
      created: start,
      updated: at(),
    });
    expect((await t.courier.GET("/preferences/sections")).data?.results.map((s) => s.name)).toEqual([
      "News",
      "Billing",
    ]);

    const archived = await t.courier.DELETE("/preferences/sections/{section_id}", {
      params: { path: { section_id: id } },
    });
    expect(archived.response.status).toBe(204);
    const gone = await t.courier.GET("/preferences/sections/{section_id}", { params: { path: { section_id: id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toEqual({ message: `Preference section "${id}" not found`, type: "invalid_request_error" });
    expect((await t.courier.GET("/preferences/sections")).data?.results.map((s) => s.id)).toEqual([other]);
    const again = await t.courier.DELETE("/preferences/sections/{section_id}", {
      params: { path: { section_id: id } },
    });
    expect(again.response.status).toBe(404);
  });

  it("PUT creates a section at a known id; a blank name or a bad channel is a 400", async () => {
    const put = await t.courier.PUT("/preferences/sections/{section_id}", {
      params: { path: { section_id: "security" } },
      body: { name: "Sign-in and security" },
    });
    expect(put.data?.id).toBe("security");
    const blank = await t.courier.POST("/preferences/sections", { body: { name: "  " } });
    expect(blank.response.status).toBe(400);
    expect(blank.error).toEqual({ message: "name must not be empty", type: "invalid_request_error" });
    const channel = await t.courier.POST("/preferences/sections", {
      body: { name: "x", routing_options: ["pigeon" as never] },
    });
    expect(channel.response.status).toBe(400);
    expect((await t.courier.GET("/preferences/sections")).data?.results.map((s) => s.id)).toEqual(["security"]);
  });

  it("publish answers an increasing version on a stable page", async () => {
    const first = await t.courier.POST("/preferences/publish", { body: { heading: "Your notifications" } });
    expect(first.data).toMatchObject({ published_version: 1, published_at: at() });
    const second = await t.courier.POST("/preferences/publish", { body: {} });
    expect(second.data?.published_version).toBe(2);
    expect(second.data?.page_id).toBe(first.data?.page_id);
  });
});

describe("workspace preferences: topics", () => {
  it("create, get, list, replace and archive agree, and the section lists its topics", async () => {
    const section_id = await createSection("Product");
    const created = await t.courier.POST("/preferences/sections/{section_id}/topics", {
      params: { path: { section_id } },
      body: { name: "Product updates", default_status: "OPTED_IN", routing_options: ["email"] },
    });
    const topic_id = created.data?.id ?? "";
    expect(created.data).toEqual({
      id: topic_id,
      name: "Product updates",
      default_status: "OPTED_IN",
      allowed_preferences: [],
      description: null,
      include_unsubscribe_header: false,
      routing_options: ["email"],
      topic_data: {},
      created: at(),
      updated: at(),
    });
    const got = await t.courier.GET("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id, topic_id } },
    });
    expect(got.data).toEqual(created.data);
    const section = await t.courier.GET("/preferences/sections/{section_id}", { params: { path: { section_id } } });
    expect(section.data?.topics).toEqual([created.data]);

    const replaced = await t.courier.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id, topic_id } },
      body: { name: "Releases", default_status: "OPTED_OUT", allowed_preferences: ["channel_preferences"] },
    });
    expect(replaced.data).toMatchObject({ id: topic_id, name: "Releases", default_status: "OPTED_OUT" });
    const listed = await t.courier.GET("/preferences/sections/{section_id}/topics", {
      params: { path: { section_id } },
    });
    expect(listed.data?.results).toEqual([replaced.data]);

    const archived = await t.courier.DELETE("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id, topic_id } },
    });
    expect(archived.response.status).toBe(204);
    const gone = await t.courier.GET("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id, topic_id } },
    });
    expect(gone.response.status).toBe(404);
    expect(
      (await t.courier.GET("/preferences/sections/{section_id}/topics", { params: { path: { section_id } } })).data
        ?.results,
    ).toEqual([]);
  });

  it("a topic id belongs to one section; topics of an unknown section are a 404", async () => {
    const a = await createSection("A");
    const b = await createSection("B");
    await t.courier.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id: a, topic_id: "weekly" } },
      body: { name: "Weekly", default_status: "OPTED_IN" },
    });
    const moved = await t.courier.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id: b, topic_id: "weekly" } },
      body: { name: "Weekly", default_status: "OPTED_IN" },
    });
    expect(moved.response.status).toBe(409);
    const wrongSection = await t.courier.GET("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id: b, topic_id: "weekly" } },
    });
    expect(wrongSection.response.status).toBe(404);
    const missing = await t.courier.POST("/preferences/sections/{section_id}/topics", {
      params: { path: { section_id: "nope" } },
      body: { name: "x", default_status: "OPTED_IN" },
    });
    expect(missing.response.status).toBe(404);
    const badStatus = await t.courier.POST("/preferences/sections/{section_id}/topics", {
      params: { path: { section_id: a } },
      body: { name: "x", default_status: "MAYBE" as never },
    });
    expect(badStatus.response.status).toBe(400);
    expect((badStatus.error as { message: string }).message).toContain("default_status");
  });

  it("archiving a section archives its topics", async () => {
    const section_id = await createSection("Gone");
    await t.courier.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id, topic_id: "t1" } },
      body: { name: "T1", default_status: "OPTED_IN" },
    });
    await t.courier.DELETE("/preferences/sections/{section_id}", { params: { path: { section_id } } });
    const recreated = await createSection("Other");
    const moved = await t.courier.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id: recreated, topic_id: "t1" } },
      body: { name: "T1", default_status: "OPTED_IN" },
    });
    expect(moved.response.status).toBe(200);
  });

  it("ids such as __proto__ and constructor are ordinary ids", async () => {
    for (const id of ["__proto__", "constructor", "prototype"]) {
      const put = await t.courier.PUT("/preferences/sections/{section_id}", {
        params: { path: { section_id: id } },
        body: { name: id },
      });
      expect(put.response.status).toBe(200);
      const topic = await t.courier.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
        params: { path: { section_id: id, topic_id: id } },
        body: { name: id, default_status: "OPTED_IN" },
      });
      expect(topic.response.status).toBe(200);
    }
    expect((await t.courier.GET("/preferences/sections")).data?.results.map((s) => s.id)).toEqual([
      "__proto__",
      "constructor",
      "prototype",
    ]);
    expect(({} as Record<string, unknown>).name).toBeUndefined();
  });
});

describe("preferences fixture", () => {
  it("loads sections and topics with known ids, and refuses a bad fixture with a message naming the item", async () => {
    preferencesSeed.load(
      t.emulator.state,
      [
        {
          id: "marketing",
          name: "Marketing",
          topics: [{ id: "promos", name: "Promotions", default_status: "OPTED_OUT", notifications: ["PROMO"] }],
        },
      ],
      clock.now(),
    );
    const topic = await t.courier.GET("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id: "marketing", topic_id: "promos" } },
    });
    expect(topic.data).toMatchObject({ id: "promos", name: "Promotions", default_status: "OPTED_OUT" });
    expect(() =>
      preferencesSeed.load(
        t.emulator.state,
        [{ id: "s", name: "S", topics: [{ id: "t", name: "T", default_status: "SOMETIMES" }] }],
        clock.now(),
      ),
    ).toThrow(/preferences fixture sections\[0\]\.topics\[0\]: .*default_status/);
    expect(() => preferencesSeed.load(t.emulator.state, [{ name: "no id" }], clock.now())).toThrow(
      /id must be a non-empty string/,
    );
    // Courier maps a template to one topic.
    expect(() =>
      preferencesSeed.load(
        t.emulator.state,
        [
          {
            id: "s2",
            name: "S2",
            topics: [{ id: "t2", name: "T2", default_status: "OPTED_IN", notifications: ["PROMO"] }],
          },
        ],
        clock.now(),
      ),
    ).toThrow('preferences fixture: Template "PROMO" is already mapped to topic "promos"');
  });

  it("replacing a topic keeps its place in the listing", async () => {
    const section_id = await createSection("Ordered");
    for (const topic_id of ["a", "b", "c"]) {
      await t.courier.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
        params: { path: { section_id, topic_id } },
        body: { name: topic_id, default_status: "OPTED_IN" },
      });
    }
    await t.courier.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
      params: { path: { section_id, topic_id: "a" } },
      body: { name: "A", default_status: "OPTED_OUT" },
    });
    const listed = await t.courier.GET("/preferences/sections/{section_id}/topics", {
      params: { path: { section_id } },
    });
    expect(listed.data?.results.map((x) => x.name)).toEqual(["A", "b", "c"]);
  });
});
