import { describe, expect, it } from "vitest";
import { API_KEY, setup } from "./helpers.js";

const t = setup();

const po = 'msgid "greeting"\nmsgstr "Bonjour"\n';
/** The spec declares the body as a string; the client (like Courier's SDKs) sends the `.po` text as it is. */
const body = (text: string) => text;

describe("translations", () => {
  it("PUT stores a locale's .po content, GET answers it, a second PUT replaces it", async () => {
    const path = { domain: "default", locale: "fr_FR" };
    expect((await t.courier.GET("/translations/{domain}/{locale}", { params: { path } })).response.status).toBe(404);
    const put = await t.courier.PUT("/translations/{domain}/{locale}", { params: { path }, body: body(po) });
    expect(put.response.status).toBe(204);
    expect((await t.courier.GET("/translations/{domain}/{locale}", { params: { path } })).data).toBe(po);
    await t.courier.PUT("/translations/{domain}/{locale}", { params: { path }, body: body("") });
    expect((await t.courier.GET("/translations/{domain}/{locale}", { params: { path } })).data).toBe("");
    const other = await t.courier.GET("/translations/{domain}/{locale}", {
      params: { path: { ...path, locale: "de_DE" } },
    });
    expect(other.response.status).toBe(404);
    const events = (await t.courier.GET("/audit-events")).data?.results.map((e) => `${e.type} ${e.target}`);
    expect(events).toEqual(["translation:updated default/fr_FR", "translation:updated default/fr_FR"]);
  });

  it("only the default domain exists; a body that is not a string is 400", async () => {
    const path = { domain: "marketing", locale: "fr_FR" };
    expect(
      (await t.courier.PUT("/translations/{domain}/{locale}", { params: { path }, body: body(po) })).response.status,
    ).toBe(404);
    expect((await t.courier.GET("/translations/{domain}/{locale}", { params: { path } })).response.status).toBe(404);
    const bad = await t.courier.PUT("/translations/{domain}/{locale}", {
      params: { path: { domain: "default", locale: "fr_FR" } },
      body: { po } as never,
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ message: "Invalid request body: body must be string" });
  });

  it("takes the .po file as text/plain too, or as a JSON string, within the body limits", async () => {
    const url = `${t.emulator.url}/translations/default/en_US`;
    const put = (body: string, contentType: string) =>
      fetch(url, { method: "PUT", headers: { authorization: `Bearer ${API_KEY}`, "content-type": contentType }, body });
    const weird = `${po}msgid "x"\nmsgstr "{[{[{[ not json"\n${"[".repeat(100)}`;
    expect((await put(weird, "text/plain; charset=utf-8")).status).toBe(204);
    expect(await (await fetch(url, { headers: { authorization: `Bearer ${API_KEY}` } })).text()).toContain("not json");
    expect((await put(JSON.stringify(po), "application/json")).status).toBe(204);
    const got = await t.courier.GET("/translations/{domain}/{locale}", {
      params: { path: { domain: "default", locale: "en_US" } },
    });
    expect(got.data).toBe(po);
    expect((await put("x".repeat(2_000_000), "text/plain")).status).toBe(413);
  });
});
