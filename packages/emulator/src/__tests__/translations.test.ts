import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

const t = setup();

const po = 'msgid "greeting"\nmsgstr "Bonjour"\n';
/**
 * The spec declares the body as a JSON string. The client sends a string body as it is, so the test
 * JSON-encodes it; the emulator does not yet accept the raw `.po` text that SDKs send.
 */
const body = (text: string) => JSON.stringify(text);

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
});
