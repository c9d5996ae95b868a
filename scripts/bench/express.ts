/**
 * `pnpm bench express`, two parts, each reported as ratios measured in the same run:
 *
 * 1. Proxy overhead: `GET /api/courier/profile` through courierProxy vs a hand-written Express route
 *    doing the same upstream call, with the emulator called directly beside them (the cost of the hop).
 *    autocannon at 1 and 64 connections, rounds interleaved, best round of each; the emulator, the apps
 *    and the load generator each run in their own process. The apps' CPU time per request is reported
 *    too: on a busy machine it moves far less than req/s.
 * 2. Profile sync: 10,000 requests from 1,000 users (all synced beforehand), 100 profile changes during
 *    the run, the same app with and without courierProfileSync (rounds interleaved); then the same with
 *    two instances sharing one redis-server. Reports p50/p99 ratios and upstream calls vs distinct changes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createCourierClient } from "@courier-ts/client";
import { startEmulator } from "@courier-ts/emulator";
import { courierProfileSync, type ProfileSyncStore } from "@courier-ts/express";
import { createRedisStore } from "@courier-ts/express/redis";
import autocannon from "autocannon";
import express from "express";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { startRedisServer } from "../../packages/express/src/__tests__/redisServer.ts";
import { fmt, table } from "./lib.ts";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Starts `expressServer.ts <role>` and resolves with the URLs it prints. */
function child(role: string, env: Record<string, string> = {}): Promise<{ urls: string[]; process: ChildProcess }> {
  const script = fileURLToPath(new URL("./expressServer.ts", import.meta.url));
  const proc = spawn(process.execPath, ["--import", "tsx", script, role], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = /READY (.+)\n/.exec(output);
      if (line?.[1]) {
        resolve({ urls: line[1].split(" "), process: proc });
      }
    });
    proc.once("exit", (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}

function stopChild(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) {
      resolve();
      return;
    }
    proc.removeAllListeners("exit");
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });
}

interface Load {
  reqPerSec: number;
  p99: number;
  /** CPU time of the app's process per request, µs (not measured for the emulator). */
  cpuPerRequest: number;
}

async function cpuMicros(base: string | undefined): Promise<number> {
  return base ? ((await (await fetch(`${base}/__cpu`)).json()) as { micros: number }).micros : 0;
}

async function cannon(
  target: { url: string; headers: Record<string, string>; app?: string },
  connections: number,
  seconds: number,
): Promise<Load> {
  const cpuBefore = await cpuMicros(target.app);
  const result = await autocannon({ url: target.url, headers: target.headers, connections, duration: seconds });
  const cpu = (await cpuMicros(target.app)) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${target.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return {
    reqPerSec: result.requests.average,
    p99: result.latency.p99,
    cpuPerRequest: cpu / Math.max(1, result.requests.total),
  };
}

export async function benchProxy(rounds = 5, seconds = 3) {
  const emulator = await child("emulator");
  const [emulatorUrl = ""] = emulator.urls;
  const proxyApp = await child("proxy", { COURIER_URL: emulatorUrl });
  const handApp = await child("hand", { COURIER_URL: emulatorUrl });
  const [proxyUrl = "", handUrl = ""] = [proxyApp.urls[0], handApp.urls[0]];
  const user = { "x-user": "bench-user" };
  const targets = [
    { name: "courierProxy", url: `${proxyUrl}/api/courier/profile`, headers: user, app: proxyUrl },
    { name: "hand-written route", url: `${handUrl}/api/courier/profile`, headers: user, app: handUrl },
    { name: "emulator direct", url: `${emulatorUrl}/profiles/bench-user`, headers: { authorization: "Bearer bench" } },
  ];
  const rows = [
    ["conns", "target", "req/s", "p99 ms", "app CPU µs/req", "req/s vs hand", "p99 vs hand", "CPU vs hand"],
  ];
  const ratios: Record<number, { rps: number; p99: number; cpu: number }> = {};
  try {
    for (const connections of [1, 64]) {
      for (const t of targets) {
        await cannon(t, connections, 1); // warm-up
      }
      const runs = new Map<string, Load[]>(targets.map((t) => [t.name, []]));
      for (let round = 0; round < rounds; round++) {
        // Each round starts with another target, so that no target always runs right after the same one.
        for (let k = 0; k < targets.length; k++) {
          const t = targets[(round + k) % targets.length];
          if (t) {
            runs.get(t.name)?.push(await cannon(t, connections, seconds));
          }
        }
      }
      const summary = targets.map((t) => {
        const loads = runs.get(t.name) ?? [];
        return {
          name: t.name,
          // Best round, as compareSequential does: other load on the machine only ever makes a round worse.
          rps: Math.max(...loads.map((l) => l.reqPerSec)),
          p99: Math.min(...loads.map((l) => l.p99)),
          cpu: Math.min(...loads.map((l) => l.cpuPerRequest)),
        };
      });
      const hand = summary[1] ?? { rps: 1, p99: 1, cpu: 1 };
      for (const s of summary) {
        const direct = s.name === "emulator direct";
        rows.push([
          String(connections),
          s.name,
          fmt(s.rps),
          s.p99 < 1 ? "<1" : fmt(s.p99),
          direct ? "-" : fmt(s.cpu),
          `${fmt(s.rps / hand.rps, 2)}x`,
          direct ? "-" : `${fmt(s.p99 / Math.max(hand.p99, 1), 2)}x`,
          direct ? "-" : `${fmt(s.cpu / hand.cpu, 2)}x`,
        ]);
      }
      const proxy = summary[0] ?? hand;
      ratios[connections] = {
        rps: proxy.rps / hand.rps,
        p99: proxy.p99 / Math.max(hand.p99, 1),
        cpu: proxy.cpu / hand.cpu,
      };
    }
  } finally {
    await Promise.all([stopChild(proxyApp.process), stopChild(handApp.process)]);
    await stopChild(emulator.process);
  }
  console.log(
    `\n## Express proxy overhead: GET /api/courier/profile, autocannon, best of ${rounds} interleaved rounds of ${seconds} s`,
  );
  console.log("target: courierProxy >= 0.95x the hand-written route's req/s, p99 <= 1.1x");
  console.log(table(rows));
  return ratios;
}

async function serve(app: express.Express) {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((r) => server.once("listening", () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** `total` requests, `concurrency` in flight, spread over `urls` in turn; latencies sorted. */
async function load(urls: string[], users: number, total: number, concurrency: number, onRequest: (i: number) => void) {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        onRequest(i);
        const started = performance.now();
        // Each pass over the users moves to the next instance, so every user is seen by all of them.
        const url = urls[Math.floor(i / users) % urls.length];
        const response = await fetch(`${url}/page`, { headers: { "x-user": `user-${i % users}` } });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

/**
 * Profile sync on `instances` app instances (sharing `stores[i]` when given) vs the same apps without
 * it. Rounds alternate without/with; each "with" round makes `changed` profile changes.
 */
async function benchSync(
  label: string,
  stores: Array<ProfileSyncStore | undefined>,
  { users = 1_000, total = 10_000, changed = 100, concurrency = 10, rounds = 3 } = {},
) {
  const emulator = await startEmulator({ apiKey: "bench" });
  const client = createCourierClient({ apiKey: "bench", baseUrl: emulator.url });
  const profiles = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < users; i++) {
    profiles.set(`user-${i}`, { email: `user-${i}@example.com`, name: `User ${i}` });
  }
  /** The profile object each user was last seen with: a new object seen is one distinct change. */
  const lastSeen = new Map<string, Record<string, unknown>>();
  let distinct = 0;
  const getUser = (req: express.Request) => {
    const id = req.get("x-user") ?? "";
    const profile = profiles.get(id);
    if (!profile) {
      return undefined;
    }
    if (lastSeen.get(id) !== profile) {
      lastSeen.set(id, profile);
      distinct++;
    }
    return { id, profile };
  };
  const syncs = stores.map((store) => courierProfileSync({ client, getUser, store }));
  const page = (_req: express.Request, res: express.Response) => {
    res.json({ ok: true });
  };
  const plain = await Promise.all(stores.map(() => serve(express().get("/page", page))));
  const synced = await Promise.all(syncs.map((sync) => serve(express().use(sync).get("/page", page))));
  const flushAll = () => Promise.all(syncs.map((s) => s.flush(60_000)));
  const calls = () => emulator.state.effects.get("POST /profiles/{user_id}") ?? 0;
  try {
    // Every user has been seen (and synced) once before the measured rounds.
    await load(
      synced.map((s) => s.url),
      users,
      users * stores.length,
      concurrency,
      () => {},
    );
    await flushAll();
    await load(
      plain.map((s) => s.url),
      users,
      2_000,
      concurrency,
      () => {},
    );
    const before = calls();
    const distinctBefore = distinct;
    const without: number[][] = [];
    const withSync: number[][] = [];
    for (let round = 0; round < rounds; round++) {
      without.push(
        await load(
          plain.map((s) => s.url),
          users,
          total,
          concurrency,
          () => {},
        ),
      );
      const changeAt = new Set(Array.from({ length: changed }, (_, k) => Math.floor((k * total) / changed)));
      withSync.push(
        await load(
          synced.map((s) => s.url),
          users,
          total,
          concurrency,
          (i) => {
            if (changeAt.has(i)) {
              const id = `user-${(i * 7 + round * 13) % users}`;
              profiles.set(id, { ...profiles.get(id), name: `Renamed in round ${round} at ${i}` });
            }
          },
        ),
      );
      await flushAll();
    }
    const upstream = calls() - before;
    const changes = distinct - distinctBefore;
    const p = (runs: number[][], q: number) => median(runs.map((r) => percentile(r, q)));
    const [p50a, p99a, p50b, p99b] = [p(without, 50), p(without, 99), p(withSync, 50), p(withSync, 99)];
    console.log(
      `\n## Express profile sync, ${label}: ${rounds} rounds of ${fmt(total)} requests from ${fmt(users)} users, ${changed} profile changes each, ${concurrency} in flight`,
    );
    console.log(`upstream profile calls: ${upstream}; distinct changes seen: ${changes} (target: equal)`);
    console.log(`p50: ${fmt(p50a, 3)} ms without, ${fmt(p50b, 3)} ms with (${fmt(p50b / p50a, 2)}x)`);
    console.log(`p99: ${fmt(p99a, 3)} ms without, ${fmt(p99b, 3)} ms with (${fmt(p99b / p99a, 2)}x, target <= 1.05x)`);
    return { upstream, changes, p50Ratio: p50b / p50a, p99Ratio: p99b / p99a };
  } finally {
    for (const s of [...plain, ...synced]) {
      s.server.closeAllConnections();
      s.server.close();
    }
    await Promise.all(syncs.map((s) => s.close(1_000)));
    await emulator.close();
  }
}

export async function benchProfileSync() {
  const single = await benchSync("one instance", [undefined]);
  const redis = await startRedisServer().catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
  if (!redis.ok) {
    console.log(`\n## Express profile sync, two instances on Redis: skipped (${redis.reason})`);
    return { single };
  }
  const nodeRedis = await createClient({ url: redis.url }).connect();
  const ioredis = new Redis(redis.url);
  try {
    const shared = await benchSync("two instances on one Redis", [
      createRedisStore({ client: nodeRedis }),
      createRedisStore({ client: ioredis }),
    ]);
    return { single, shared };
  } finally {
    await nodeRedis.close();
    ioredis.disconnect();
    await redis.stop();
  }
}

export async function benchExpress() {
  const proxy = await benchProxy();
  const sync = await benchProfileSync();
  return { proxy, sync };
}
