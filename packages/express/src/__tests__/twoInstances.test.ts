/**
 * Two Express apps in two separate processes (as behind a load balancer) sharing one redis-server and
 * one emulator: a webhook delivery replayed to the other instance is refused, and one user's profile
 * change seen by both instances reaches Courier once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Emulator, profilesOf } from "@courier-ts/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signCourierPayload } from "../index.js";
import { API_KEY, emulatorAndClient } from "./helpers.js";
import { startRedisServer } from "./redisServer.js";

const SECRET = "whsec_two_instances";
const server = await startRedisServer();
const reason = server.ok ? "" : ` (skipped: ${server.reason})`;

interface Instance {
  url: string;
  child: ChildProcess;
}

function startInstance(env: Record<string, string>): Promise<Instance> {
  const fixture = fileURLToPath(new URL("./fixtures/instance.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", fixture], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`instance did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LISTENING (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], child });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code}: ${output}`));
    });
  });
}

function stop(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.child.exitCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    instance.child.removeAllListeners("exit");
    instance.child.once("exit", () => resolve());
    instance.child.kill("SIGTERM");
  });
}

describe.skipIf(!server.ok)(`two instances in two processes sharing one Redis${reason}`, () => {
  let emulator: Emulator;
  let a: Instance | undefined;
  let b: Instance | undefined;

  beforeAll(async () => {
    if (!server.ok) {
      return;
    }
    ({ emulator } = await emulatorAndClient());
    const env = { REDIS_URL: server.url, COURIER_URL: emulator.url, COURIER_API_KEY: API_KEY, WEBHOOK_SECRET: SECRET };
    [a, b] = await Promise.all([
      startInstance({ ...env, REDIS_CLIENT: "redis" }),
      startInstance({ ...env, REDIS_CLIENT: "ioredis" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await emulator?.close();
    if (server.ok) {
      await server.stop();
    }
  });

  const state = async (instance: Instance | undefined) =>
    (await (await fetch(`${instance?.url}/state`)).json()) as {
      drained: boolean;
      events: string[];
      stats: { synced: number; unchanged: number };
    };

  it("refuses a delivery replayed to the second instance", async () => {
    const body = JSON.stringify({ type: "message:updated", data: { id: "1-abc", status: "DELIVERED" } });
    const headers = { "content-type": "application/json", "courier-signature": signCourierPayload(body, SECRET) };
    const first = await fetch(`${a?.url}/webhooks/courier`, { method: "POST", headers, body });
    expect(first.status).toBe(200);
    const replay = await fetch(`${b?.url}/webhooks/courier`, { method: "POST", headers, body });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ message: "Invalid webhook: replayed delivery" });
    expect((await state(a)).events).toEqual(["message:updated"]);
    expect((await state(b)).events).toEqual([]);
  });

  it("syncs one user's profile change seen by both instances to Courier once", async () => {
    const calls = () => emulator.state.effects.get("POST /profiles/{user_id}") ?? 0;
    const visit = (instance: Instance | undefined, profile: object) =>
      fetch(`${instance?.url}/hello`, { headers: { "x-user": "u1", "x-profile": JSON.stringify(profile) } });
    const v1 = { email: "u1@x.io", name: "One" };
    // Both instances see the user at once, several times.
    const responses = await Promise.all([visit(a, v1), visit(b, v1), visit(a, v1), visit(b, v1)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await state(a)).drained && (await state(b)).drained).toBe(true);
    expect(calls()).toBe(1);

    const v2 = { email: "u1@x.io", name: "Renamed" };
    await Promise.all([visit(b, v2), visit(a, v2)]);
    await visit(a, v2);
    await visit(b, v2);
    const [sa, sb] = [await state(a), await state(b)];
    expect(sa.drained && sb.drained).toBe(true);
    expect(calls()).toBe(2);
    expect(sa.stats.synced + sb.stats.synced).toBe(2);
    expect(profilesOf(emulator.state).get("u1")?.profile).toEqual(v2);
  });
});
