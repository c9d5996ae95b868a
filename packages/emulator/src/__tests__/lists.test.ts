import { paginate } from "@courier-ts/client";
import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

const t = setup();

async function put(list_id: string, name = list_id) {
  const { response } = await t.courier.PUT("/lists/{list_id}", { params: { path: { list_id } }, body: { name } });
  expect(response.status).toBe(204);
}

describe("lists", () => {
  it("CRUD, then restore brings a deleted list back with its subscribers", async () => {
    await put("teams.eng", "Engineering");
    const got = await t.courier.GET("/lists/{list_id}", { params: { path: { list_id: "teams.eng" } } });
    expect(got.data).toMatchObject({ id: "teams.eng", name: "Engineering" });
    await t.courier.POST("/lists/{list_id}/subscriptions", {
      params: { path: { list_id: "teams.eng" } },
      body: { recipients: [{ recipientId: "u1" }] },
    });
    const deleted = await t.courier.DELETE("/lists/{list_id}", { params: { path: { list_id: "teams.eng" } } });
    expect(deleted.response.status).toBe(204);
    const gone = await t.courier.GET("/lists/{list_id}", { params: { path: { list_id: "teams.eng" } } });
    expect(gone.response.status).toBe(404);
    expect((await t.courier.GET("/lists")).data?.items).toEqual([]);
    const restored = await t.courier.PUT("/lists/{list_id}/restore", { params: { path: { list_id: "teams.eng" } } });
    expect(restored.response.status).toBe(204);
    const subs = await t.courier.GET("/lists/{list_id}/subscriptions", { params: { path: { list_id: "teams.eng" } } });
    expect(subs.data?.items.map((s) => s.recipientId)).toEqual(["u1"]);
    const never = await t.courier.PUT("/lists/{list_id}/restore", { params: { path: { list_id: "nope" } } });
    expect(never.response.status).toBe(404);
  });

  it("POST subscriptions adds, PUT replaces, single subscribe keeps preferences, unsubscribe 404s when absent", async () => {
    const path = { list_id: "news" };
    await t.courier.POST("/lists/{list_id}/subscriptions", {
      params: { path },
      body: { recipients: [{ recipientId: "a" }, { recipientId: "b" }] },
    });
    await t.courier.POST("/lists/{list_id}/subscriptions", {
      params: { path },
      body: { recipients: [{ recipientId: "c" }] },
    });
    const ids = async () =>
      (await t.courier.GET("/lists/{list_id}/subscriptions", { params: { path } })).data?.items
        .map((s) => s.recipientId)
        .sort();
    expect(await ids()).toEqual(["a", "b", "c"]);
    await t.courier.PUT("/lists/{list_id}/subscriptions", {
      params: { path },
      body: { recipients: [{ recipientId: "d" }] },
    });
    expect(await ids()).toEqual(["d"]);
    const preferences = { notifications: { digest: { status: "OPTED_IN" as const } } };
    await t.courier.PUT("/lists/{list_id}/subscriptions/{user_id}", {
      params: { path: { ...path, user_id: "e" } },
      body: { preferences },
    });
    const subs = await t.courier.GET("/lists/{list_id}/subscriptions", { params: { path } });
    expect(subs.data?.items.find((s) => s.recipientId === "e")?.preferences).toEqual(preferences);
    const un = await t.courier.DELETE("/lists/{list_id}/subscriptions/{user_id}", {
      params: { path: { ...path, user_id: "e" } },
    });
    expect(un.response.status).toBe(204);
    const again = await t.courier.DELETE("/lists/{list_id}/subscriptions/{user_id}", {
      params: { path: { ...path, user_id: "e" } },
    });
    expect(again.response.status).toBe(404);
  });

  it("pattern: `*` is one whole part, `**` is one or more trailing parts", async () => {
    for (const id of [
      "pokemon",
      "pokemon.grass",
      "pokemon.grass.gen1",
      "pokemon.fire.gen1",
      "pokemon.fire.gen2",
      "digimon.gen1",
    ]) {
      await put(id);
    }
    const match = async (pattern: string) =>
      (await t.courier.GET("/lists", { params: { query: { pattern } } })).data?.items.map((l) => l.id).sort();
    expect(await match("pokemon.*.gen1")).toEqual(["pokemon.fire.gen1", "pokemon.grass.gen1"]);
    expect(await match("pokemon.**")).toEqual([
      "pokemon.fire.gen1",
      "pokemon.fire.gen2",
      "pokemon.grass",
      "pokemon.grass.gen1",
    ]);
    expect(await match("*.gen1")).toEqual(["digimon.gen1"]);
    for (const bad of ["**", "**.gen1", "*.**", "poke*", "pokemon..x"]) {
      const { response, error } = await t.courier.GET("/lists", { params: { query: { pattern: bad } } });
      expect(response.status, bad).toBe(400);
      expect(error).toMatchObject({ type: "invalid_request_error" });
    }
  });

  it("rejects invalid list ids", async () => {
    for (const bad of ["a b", "a.", "a..b", "a.b.c.d.e", "a#b"]) {
      const { response } = await t.courier.PUT("/lists/{list_id}", {
        params: { path: { list_id: bad } },
        body: { name: "x" },
      });
      expect(response.status, bad).toBe(400);
    }
  });

  it("cursor-pages through many lists with the client's paginate()", async () => {
    for (let i = 0; i < 45; i++) {
      await put(`bulk.l${String(i).padStart(2, "0")}`);
    }
    const first = await t.courier.GET("/lists");
    expect(first.data?.items).toHaveLength(20);
    expect(first.data?.paging.more).toBe(true);
    const seen: string[] = [];
    for await (const list of paginate(t.courier, "/lists")) {
      seen.push(list.id);
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    const limited: string[] = [];
    for await (const list of paginate(t.courier, "/lists", { maxPages: 2 })) {
      limited.push(list.id);
    }
    expect(limited).toHaveLength(40);
    const bad = await t.courier.GET("/lists", { params: { query: { cursor: "not-a-cursor" } } });
    expect(bad.response.status).toBe(400);
  });
});

describe("audiences", () => {
  it("evaluates members from the current profiles with nested filters", async () => {
    const profiles: Record<string, Record<string, unknown>> = {
      sf1: { email: "a@x.io", location: { city: "San Francisco" }, age: "31" },
      sf2: { email: "b@x.io", location: { city: "San Francisco" }, age: "19" },
      ny: { email: "c@x.io", location: { city: "New York" }, age: "40" },
    };
    for (const [user_id, profile] of Object.entries(profiles)) {
      await t.courier.POST("/profiles/{user_id}", { params: { path: { user_id } }, body: { profile } });
    }
    const put = await t.courier.PUT("/audiences/{audience_id}", {
      params: { path: { audience_id: "sf-adults" } },
      body: {
        name: "SF adults",
        filter: {
          filters: [
            { operator: "EQ", path: "location.city", value: "San Francisco" },
            {
              operator: "OR",
              filters: [
                { operator: "GTE", path: "age", value: "21" },
                { operator: "EQ", path: "vip", value: "true" },
              ],
            },
          ],
        },
      },
    });
    expect(put.data?.audience).toMatchObject({ id: "sf-adults", name: "SF adults" });
    const members = async () =>
      (
        await t.courier.GET("/audiences/{audience_id}/members", { params: { path: { audience_id: "sf-adults" } } })
      ).data?.items
        .map((m) => m.member_id)
        .sort();
    expect(await members()).toEqual(["sf1"]);
    await t.courier.POST("/profiles/{user_id}", {
      params: { path: { user_id: "sf2" } },
      body: { profile: { vip: true } },
    });
    expect(await members()).toEqual(["sf1", "sf2"]);
    expect((await t.courier.GET("/audiences")).data?.items.map((a) => a.id)).toEqual(["sf-adults"]);
    const bad = await t.courier.PUT("/audiences/{audience_id}", {
      params: { path: { audience_id: "x" } },
      body: { filter: { filters: [{ operator: "eq", path: "a", value: "b" }] } },
    });
    expect(bad.response.status).toBe(400);
    expect(
      (await t.courier.DELETE("/audiences/{audience_id}", { params: { path: { audience_id: "sf-adults" } } })).response
        .status,
    ).toBe(204);
    expect(
      (await t.courier.GET("/audiences/{audience_id}", { params: { path: { audience_id: "sf-adults" } } })).response
        .status,
    ).toBe(404);
  });
});
