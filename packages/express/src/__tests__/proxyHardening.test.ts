/**
 * The proxy's secure defaults, as an attacker signed in as alice would probe them: routing fields,
 * free-form send content, and hostile bodies and paths. Every refusal is a JSON 4xx, and the server
 * keeps serving.
 */
import type { CourierClient } from "@courier-ts/client";
import { type Emulator, messagesOf, profilesOf } from "@courier-ts/emulator";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courierProxy, type ProxyOptions } from "../index.js";
import { emulatorAndClient, fakeAuth, listen, type Running, userIdOf } from "./helpers.js";

let emulator: Emulator;
let client: CourierClient;
let app: Running;

/** Mounts proxies with different options side by side, each under its own prefix. */
function server(mounts: Record<string, Partial<ProxyOptions>>, appJson = false) {
  const server = express();
  server.use(fakeAuth);
  if (appJson) {
    server.use(express.json({ limit: "1mb" }));
  }
  for (const [prefix, options] of Object.entries(mounts)) {
    server.use(prefix, courierProxy({ client, getUserId: userIdOf, ...options }));
  }
  return server;
}

beforeAll(async () => {
  ({ emulator, client } = await emulatorAndClient());
  const main = server({
    "/default": { send: { templates: ["WELCOME"] } },
    "/phone": { writableRoutingFields: ["phone_number"], send: { templates: ["WELCOME"], allowContent: true } },
    "/throws": {
      getUserId: () => {
        throw new Error("session store down");
      },
    },
  });
  // An app that already parsed JSON app-wide: the proxy holds that body to the same rules.
  main.use("/parsed", server({ "/": {} }, true));
  app = await listen(main);
  await client.POST("/profiles/{user_id}", {
    params: { path: { user_id: "alice" } },
    body: { profile: { email: "alice@x.io", phone_number: "+15550000001" } },
  });
});
afterAll(async () => {
  await app.close();
  await emulator.close();
});

function call(path: string, method = "GET", body?: string, type = "application/json") {
  const headers: Record<string, string> = { "x-user": "alice" };
  if (body !== undefined) {
    headers["content-type"] = type;
  }
  return fetch(`${app.url}${path}`, { method, headers, body });
}

async function expectJsonError(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { message: string; type: string };
  expect(typeof body.message).toBe("string");
  expect(typeof body.type).toBe("string");
  return body;
}

describe("routing fields are read-only from the browser by default", () => {
  it("refuses email, phone and channel addresses with a 403 naming the field; the profile is unchanged", async () => {
    for (const field of ["email", "phone_number", "slack", "webhook", "firebaseToken", "apn"]) {
      const patch = JSON.stringify({ profile: { name: "Mallory", [field]: "attacker@evil.test" } });
      const body = await expectJsonError(await call("/default/profile", "PATCH", patch), 403);
      expect(body.message).toContain(`"${field}"`);
    }
    expect(profilesOf(emulator.state).get("alice")?.profile).toEqual({
      email: "alice@x.io",
      phone_number: "+15550000001",
    });
  });

  it("lets an app opt in to exactly the fields it lists", async () => {
    const ok = await call("/phone/profile", "PATCH", JSON.stringify({ profile: { phone_number: "+15550000009" } }));
    expect(ok.status).toBe(200);
    expect(profilesOf(emulator.state).get("alice")?.profile.phone_number).toBe("+15550000009");
    const email = await call("/phone/profile", "PATCH", JSON.stringify({ profile: { email: "evil@evil.test" } }));
    expect((await expectJsonError(email, 403)).message).toContain('"email"');
    expect(profilesOf(emulator.state).get("alice")?.profile.email).toBe("alice@x.io");
  });

  it("keeps free-form send content off unless enabled", async () => {
    const content = JSON.stringify({ content: { title: "Reset your password", body: "http://evil.test" } });
    const before = messagesOf(emulator.state).size;
    await expectJsonError(await call("/default/send", "POST", content), 400);
    expect(messagesOf(emulator.state).size).toBe(before);
    expect((await call("/default/send", "POST", JSON.stringify({ template: "WELCOME" }))).status).toBe(202);
    expect((await call("/phone/send", "POST", content)).status).toBe(202);
  });
});

describe("hostile input is a JSON 4xx, never a 500", () => {
  const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
  const deepObject = `{"profile":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`;
  const cases: Array<[string, string, string, string | undefined, string, number]> = [
    ["a JSON array nested 10,000 deep", "PATCH", "/default/profile", deep, "application/json", 400],
    ["an object nested 10,000 deep", "PATCH", "/default/profile", deepObject, "application/json", 400],
    ["malformed JSON", "PATCH", "/default/profile", "{not json", "application/json", 400],
    ["a body that is not an object", "PATCH", "/default/profile", "[1,2]", "application/json", 400],
    ["a __proto__ key", "PATCH", "/default/profile", '{"profile":{"__proto__":{"x":1}}}', "application/json", 400],
    ["constructor.prototype", "PATCH", "/default/profile", '{"constructor":{"prototype":{}}}', "application/json", 400],
    ["text/plain", "PATCH", "/default/profile", '{"profile":{}}', "text/plain", 415],
    ["a form body", "POST", "/default/send", "template=WELCOME", "application/x-www-form-urlencoded", 415],
    ["a non-UTF-8 charset", "PATCH", "/default/profile", '{"profile":{}}', "application/json; charset=latin1", 415],
    [
      "a body over the limit",
      "PATCH",
      "/default/profile",
      `{"profile":{"x":"${"a".repeat(70_000)}"}}`,
      "application/json",
      413,
    ],
    ["a bad %-escape in the path", "GET", "/default/messages/%E0%A4%A", undefined, "", 400],
    ["an unknown route", "GET", "/default/nothing-here", undefined, "", 404],
    ["getUserId throwing", "GET", "/throws/profile", undefined, "", 500],
    ["an already-parsed deep body", "PATCH", "/parsed/profile", deepObject, "application/json", 400],
    [
      "an already-parsed __proto__ key",
      "PATCH",
      "/parsed/profile",
      '{"profile":{"__proto__":{"x":1}}}',
      "application/json",
      400,
    ],
  ];
  it.each(cases)("%s", async (_name, method, path, body, type, status) => {
    const response = await call(path, method, body, type);
    const json = await expectJsonError(response, status);
    expect(json.message).not.toMatch(/session store|at .*\.ts/);
  });

  it("still serves after all of that", async () => {
    expect((Object.prototype as Record<string, unknown>).x).toBeUndefined();
    const response = await call("/default/profile");
    expect(response.status).toBe(200);
    expect((await response.json()).profile.email).toBe("alice@x.io");
  });
});
