import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

const t = setup();

const sendgrid = { provider: "sendgrid", settings: { api_key: "SG.key", from_address: "team@example.com" } };

describe("providers", () => {
  it("create, get, list, replace and delete agree", async () => {
    const created = await t.courier.POST("/providers", { body: { ...sendgrid, alias: "primary-email" } });
    expect(created.response.status).toBe(200);
    const id = created.data?.id ?? "";
    expect(created.data).toMatchObject({ provider: "sendgrid", alias: "primary-email", updated: null });

    const got = await t.courier.GET("/providers/{id}", { params: { path: { id } } });
    expect(got.data).toEqual(created.data);

    // PUT replaces in full: the alias and title left out are cleared back to defaults.
    const replaced = await t.courier.PUT("/providers/{id}", {
      params: { path: { id } },
      body: { provider: "sendgrid", settings: { api_key: "SG.new", from_address: "ops@example.com" } },
    });
    expect(replaced.data?.settings).toEqual({ api_key: "SG.new", from_address: "ops@example.com" });
    expect(replaced.data?.alias).toBeUndefined();
    expect(replaced.data?.title).toBe("Default Configuration");
    expect(typeof replaced.data?.updated).toBe("number");

    const listed = await t.courier.GET("/providers");
    expect(listed.data?.results.map((p) => p.id)).toEqual([id]);

    const deleted = await t.courier.DELETE("/providers/{id}", { params: { path: { id } } });
    expect(deleted.response.status).toBe(204);
    expect((await t.courier.GET("/providers/{id}", { params: { path: { id } } })).response.status).toBe(404);
    expect((await t.courier.DELETE("/providers/{id}", { params: { path: { id } } })).response.status).toBe(404);
    expect((await t.courier.GET("/providers")).data?.results).toEqual([]);
  });

  it("pages the configured providers by cursor", async () => {
    for (let i = 0; i < 25; i++) {
      await t.courier.POST("/providers", { body: { ...sendgrid, alias: `email-${i}` } });
    }
    const first = await t.courier.GET("/providers");
    expect(first.data?.results).toHaveLength(20);
    expect(first.data?.paging.more).toBe(true);
    const second = await t.courier.GET("/providers", {
      params: { query: { cursor: first.data?.paging.cursor ?? "" } },
    });
    expect(second.data?.results.map((p) => p.alias)).toEqual([
      "email-20",
      "email-21",
      "email-22",
      "email-23",
      "email-24",
    ]);
    expect(second.data?.paging).toEqual({ cursor: null, more: false });
  });

  it("400s: unknown provider key, missing required setting, changed provider, duplicate alias", async () => {
    const unknown = await t.courier.POST("/providers", { body: { provider: "carrier-pigeon" } });
    expect(unknown.response.status).toBe(400);
    expect(unknown.error).toMatchObject({ type: "invalid_request_error" });
    const missing = await t.courier.POST("/providers", {
      body: { provider: "sendgrid", settings: { api_key: "SG.key" } },
    });
    expect(missing.response.status).toBe(400);
    expect(missing.error?.message).toContain("from_address");
    const noBody = await t.courier.POST("/providers", { body: {} as never });
    expect(noBody.response.status).toBe(400);

    const created = await t.courier.POST("/providers", { body: { ...sendgrid, alias: "a" } });
    const id = created.data?.id ?? "";
    const changed = await t.courier.PUT("/providers/{id}", {
      params: { path: { id } },
      body: { provider: "twilio", settings: { account_sid: "AC1", auth_token: "t" } },
    });
    expect(changed.response.status).toBe(400);
    const duplicate = await t.courier.POST("/providers", { body: { ...sendgrid, alias: "a" } });
    expect(duplicate.response.status).toBe(400);
    const missingPut = await t.courier.PUT("/providers/{id}", { params: { path: { id: "nope" } }, body: sendgrid });
    expect(missingPut.response.status).toBe(404);
    for (const id of ["__proto__", "constructor", "toString"]) {
      const odd = await t.courier.GET("/providers/{id}", { params: { path: { id } } });
      expect(odd.response.status, id).toBe(404);
    }
  });

  it("the catalog filters by channel, keys and name, and every entry can be configured", async () => {
    const all = await t.courier.GET("/providers/catalog");
    expect(all.data?.results.length).toBeGreaterThan(10);
    const sms = await t.courier.GET("/providers/catalog", { params: { query: { channel: "SMS" } } });
    expect(sms.data?.results.every((e) => e.channel === "sms")).toBe(true);
    expect(sms.data?.results.map((e) => e.provider)).toContain("twilio");
    const keys = await t.courier.GET("/providers/catalog", { params: { query: { keys: "sendgrid,twilio" } } });
    expect(keys.data?.results.map((e) => e.provider).sort()).toEqual(["sendgrid", "twilio"]);
    const named = await t.courier.GET("/providers/catalog", { params: { query: { name: "grid" } } });
    expect(named.data?.results.map((e) => e.provider)).toEqual(["sendgrid"]);

    for (const entry of all.data?.results ?? []) {
      const settings = Object.fromEntries(Object.keys(entry.settings).map((k) => [k, "value"]));
      const created = await t.courier.POST("/providers", { body: { provider: entry.provider, settings } });
      expect(created.response.status, entry.provider).toBe(200);
    }
  });
});
