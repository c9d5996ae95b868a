/** Fixtures: `startEmulator({ seed })`, reloaded by reset(), checked field by field; the shipped example. */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, type EmulatorSeed, profilesOf, readSeedFile, SeedError, startEmulator } from "../index.js";
import { SEEDS } from "../server.js";
import { validateBody } from "../validate.js";

const EXAMPLE = new URL("../../fixtures/example.seed.json", import.meta.url);
const example = JSON.parse(await readFile(EXAMPLE, "utf8")) as EmulatorSeed;

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator?.url}${path}`, {
    method,
    headers: { authorization: "Bearer k", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
}

describe("seed", () => {
  it("loads the whole example: every fixture key with the fixture's ids", async () => {
    expect(Object.keys(example).sort()).toEqual([...SEEDS.map((m) => m.key)].sort());
    emulator = await startEmulator({ apiKey: "k", seed: example, now: () => Date.parse("2026-01-01T00:00:00Z") });
    expect((await call("GET", "/profiles/alice")).body.profile).toMatchObject({ email: "alice@example.com" });
    const subs = await call("GET", "/lists/newsletter/subscriptions");
    expect(subs.body.items.map((s: { recipientId: string }) => s.recipientId)).toEqual(["alice", "bob"]);
    expect((await call("GET", "/lists/product.updates")).body.name).toBe("Product updates");
    const members = await call("GET", "/audiences/pro-users/members");
    expect(members.body.items.map((m: { member_id: string }) => m.member_id)).toEqual(["alice"]);
    const run = await call("POST", "/automations/onboarding/invoke", { recipient: "alice" });
    expect(run.status).toBe(200);
    const steps = await call("GET", `/automations/runs/${run.body.runId}/steps`);
    expect(steps.body.steps.map((s: { status: string }) => s.status)).toEqual(["PROCESSED", "WAITING", "PENDING"]);

    expect((await call("GET", "/brands/acme")).body).toMatchObject({ id: "acme", name: "Acme" });
    expect((await call("GET", "/brands/globex")).body.name).toBe("Globex");
    expect((await call("GET", "/tenants/acme-eu")).body).toMatchObject({ name: "Acme Europe", brand_id: "acme" });
    const tenantUsers = await call("GET", "/tenants/acme-us/users");
    expect(tenantUsers.body.items.map((u: { user_id: string }) => u.user_id)).toEqual(["bob"]);
    expect((await call("GET", "/notifications/WELCOME")).body).toMatchObject({ id: "WELCOME", state: "PUBLISHED" });
    expect((await call("GET", "/notifications/TIPS?version=draft")).body).toMatchObject({ id: "TIPS", state: "DRAFT" });
    const sections = await call("GET", "/preferences/sections");
    expect(sections.body.results.map((s: { id: string }) => s.id).sort()).toEqual(["account", "product"]);
    const bob = await call("GET", "/users/bob/preferences/product-news");
    expect(bob.body.topic).toMatchObject({ status: "OPTED_OUT" });
    const alice = await call("GET", "/users/alice/preferences/promotions");
    expect(alice.body.topic).toMatchObject({ status: "OPTED_IN", custom_routing: ["email"] });
    expect((await call("GET", "/users/alice/preferences/security")).body.topic.status).toBe("REQUIRED");
    expect((await call("GET", "/users/alice/tokens/fcm-token-alice")).body).toMatchObject({
      provider_key: "firebase-fcm",
    });
    expect((await call("GET", "/users/bob/tokens")).body.tokens.map((t: { token: string }) => t.token)).toEqual([
      "apn-token-bob",
    ]);
    // Bob opted out of the topic that covers WELCOME: a send of it to him is filtered.
    const sent = await call("POST", "/send", { message: { to: { user_id: "bob" }, template: "WELCOME" } });
    expect((await call("GET", `/messages/${sent.body.requestId}`)).body).toMatchObject({
      status: "FILTERED",
      reason: "UNSUBSCRIBED",
    });
  });

  it("is loaded again by reset(), dropping what the test changed", async () => {
    emulator = await startEmulator({ apiKey: "k", seed: example });
    await call("DELETE", "/profiles/alice");
    await call("POST", "/profiles/carol", { profile: { name: "C" } });
    emulator.reset();
    expect([...profilesOf(emulator.state).keys()].sort()).toEqual(["alice", "bob"]);
  });

  it("refuses a bad fixture at start with an error naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ profiles: [{ user_id: "a", profile: {} }, { profile: {} }] }, "seed.profiles[1].user_id"],
      [{ profiles: {} }, "seed.profiles must be an array"],
      [{ lists: [{ id: "bad list" }] }, "seed.lists[0].id"],
      [{ lists: [{ id: "l", subscribers: [5] }] }, "seed.lists[0].subscribers[0]"],
      [{ audiences: [{ id: "a", filter: { filters: [{ operator: "eq" }] } }] }, "seed.audiences[0]"],
      [{ automations: [{ id: "x", steps: [{ action: "delay", duration: "soon" }] }] }, "seed.automations[0]"],
      [{ brands: [{ name: "no id" }] }, "seed.brands[0]: id is required"],
      [{ tenants: [{ id: "t", name: 5 }] }, "seed.tenants[0]"],
      [{ notifications: [{ id: "N", notification: { name: "no content" } }] }, "seed.notifications[0]"],
      [{ preferences: { sections: [{ name: "no id" }] } }, "seed.preferences.sections[0]"],
      [{ preferences: [] }, "seed.preferences must be an object"],
      [{ tokens: [{ user_id: "u", token: "t", provider_key: "pigeon" }] }, "seed.tokens[0]"],
      [{ profile: [] }, "seed.profile is not a fixture key"],
      [[], "seed must be a JSON object"],
    ];
    for (const [seed, message] of cases) {
      const error = await startEmulator({ seed: seed as EmulatorSeed }).then(
        (started) => started.close().then(() => undefined),
        (e: unknown) => e,
      );
      expect(error, message).toBeInstanceOf(SeedError);
      expect((error as Error).message).toContain(message);
    }
  });

  it("refuses a fixture key that no module of this build loads", async () => {
    const missing = (["brands", "tenants", "notifications", "preferences", "tokens"] as const).find(
      (key) => !SEEDS.some((m) => m.key === key),
    );
    if (missing) {
      await expect(startEmulator({ seed: { [missing]: [] } })).rejects.toThrow(`seed.${missing} is not supported`);
    }
    expect(new Set(SEEDS.map((m) => m.key)).size).toBe(SEEDS.length);
  });
});

describe("the example fixture", () => {
  it("holds valid create bodies for every resource", () => {
    const bodies: Array<[string, string, unknown]> = [
      ...(example.brands ?? []).map(({ id: _, ...b }) => ["post", "/brands", b] as [string, string, unknown]),
      ...(example.tenants ?? []).map(
        ({ id: _, ...b }) => ["put", "/tenants/{tenant_id}", b] as [string, string, unknown],
      ),
      ...(example.notifications ?? []).map(
        ({ id: _, ...b }) => ["post", "/notifications", b] as [string, string, unknown],
      ),
      ...(example.audiences ?? []).map(
        ({ id: _, ...b }) => ["put", "/audiences/{audience_id}", b] as [string, string, unknown],
      ),
      ...(example.preferences?.sections ?? []).flatMap(({ id: _, topics, ...section }) => [
        ["put", "/preferences/sections/{section_id}", section] as [string, string, unknown],
        ...(topics ?? []).map(
          ({ id: __, notifications: ___, ...t }) =>
            ["put", "/preferences/sections/{section_id}/topics/{topic_id}", t] as [string, string, unknown],
        ),
      ]),
      ...(example.preferences?.users ?? []).flatMap((u) =>
        u.topics.map(
          ({ topic_id: _, ...t }) => ["put", "/users/{user_id}/preferences/{topic_id}", t] as [string, string, unknown],
        ),
      ),
      ...(example.tokens ?? []).map(
        ({ user_id: _, token: __, ...t }) => ["put", "/users/{user_id}/tokens/{token}", t] as [string, string, unknown],
      ),
    ];
    expect(bodies.length).toBeGreaterThanOrEqual(8);
    for (const [method, path, body] of bodies) {
      expect(validateBody(method, path, body), `${method} ${path}`).toBeUndefined();
    }
    for (const key of ["brands", "tenants", "notifications", "preferences", "tokens"]) {
      expect(example, key).toHaveProperty(key);
    }
  });

  it("is read by readSeedFile, which reports unreadable and non-JSON files", async () => {
    expect(await readSeedFile(EXAMPLE.pathname)).toEqual(example);
    const dir = await mkdtemp(join(tmpdir(), "emulator-seed-"));
    await writeFile(join(dir, "bad.json"), "{nope");
    await expect(readSeedFile(join(dir, "bad.json"))).rejects.toThrow("is not valid JSON");
    await expect(readSeedFile(join(dir, "missing.json"))).rejects.toThrow("ENOENT");
  });
});

describe("courier-emulator --seed", () => {
  it("starts with the file's state", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emulator-seed-"));
    const file = join(dir, "state.json");
    await writeFile(file, JSON.stringify(example));
    const cli = spawn(
      process.execPath,
      ["--import", "tsx", new URL("../cli.ts", import.meta.url).pathname, "--port", "0", "--seed", file],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        cli.stdout.on("data", (chunk) => {
          out += chunk;
          const match = /listening on (\S+)/.exec(out);
          if (match) {
            resolve(match[1] as string);
          }
        });
        cli.once("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      const response = await fetch(`${url}/profiles/bob`, { headers: { authorization: "Bearer any" } });
      expect(await response.json()).toMatchObject({ profile: { email: "bob@example.com" } });
    } finally {
      cli.kill("SIGTERM");
    }
  });
});
