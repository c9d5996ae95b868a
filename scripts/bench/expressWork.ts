/**
 * Part of `pnpm bench express`: what courierProfileSync's own work costs, measured in this process
 * without HTTP, so that the figures do not move with the app's garbage collections and the machine's
 * scheduling as the end-to-end figures do.
 *
 * 1. The middleware as Express calls it, with a request whose user (one of 1,000, all synced beforehand,
 *    as in the end-to-end bench) the app's auth has set on it, its deferred work waited for; the baseline is a
 *    middleware that only calls `next()`. CPU time, and bytes allocated per request: garbage the app's
 *    young-generation collections must go through, which is what moves an app's p99 (see the README).
 *    With a redis-server, the same on the Redis store; requests come far faster here than in the app, so
 *    each script call carries hundreds of checks instead of about 100 (part 2 has the cost by batch size).
 * 2. The Redis store's check (`setIfChanged`) against a real redis-server, by how many checks go
 *    together: courierProfileSync gathers the checks of 100 ms, and the store sends each gathering as one
 *    script call.
 */

import { Session } from "node:inspector/promises";
import { createCourierClient } from "@courier-ts/client";
import { courierProfileSync, type ProfileSyncMiddleware } from "@courier-ts/express";
import { createRedisStore } from "@courier-ts/express/redis";
import type { Request, RequestHandler, Response } from "express";
import { createClient } from "redis";
import { fmt, table } from "./lib.ts";

const USERS = 1_000;
const REQUESTS = 20_000;
const ROUNDS = 5;

/** The signed-in user as the app's auth loaded them, which is all that the bench's `getUser` reads. */
interface AppUser {
  id: string;
  email: string;
  name: string;
}

/** Requests of `USERS` users, each with the user the app's auth set on it. */
const requests = Array.from(
  { length: USERS },
  (_, i) => ({ user: { id: `user-${i}`, email: `user-${i}@example.com`, name: `user-${i} v0` } }) as unknown as Request,
);

/** CPU µs of `run()` divided by `count`. */
async function cpuPer(count: number, run: () => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  await run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / count;
}

/** `REQUESTS` requests through `handler`, letting the event loop turn every 50, then `drained()`. */
async function drive(handler: RequestHandler, drained: () => Promise<unknown>): Promise<void> {
  const response = {} as Response;
  const next = () => undefined;
  for (let i = 0; i < REQUESTS; i++) {
    handler(requests[i % USERS] as Request, response, next);
    if (i % 50 === 49) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await drained();
}

/**
 * Bytes allocated per request by `run()` (`count` requests), garbage included, from V8's sampling heap
 * profiler (one sample per 256 bytes, collected objects counted): what each request adds to the young
 * generation, whose collections are what an app's p99 is made of.
 */
async function bytesPer(count: number, run: () => Promise<unknown>): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: 256,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await run();
    const { profile } = await session.post("HeapProfiler.stopSampling");
    let total = 0;
    const nodes = [profile.head];
    for (let node = nodes.pop(); node; node = nodes.pop()) {
      total += node.selfSize;
      nodes.push(...node.children);
    }
    return total / count;
  } finally {
    session.disconnect();
  }
}

/** The bench's `getUser`, as in the end-to-end bench: the app's user as a profile of two fields. */
const getUser = (req: Request) => {
  const user = (req as Request & { user?: AppUser }).user;
  return user && { id: user.id, profile: { email: user.email, name: user.name } };
};

async function middlewareWork(redisUrl?: string): Promise<string[][]> {
  // A real client over a fetch that answers at once: only the warm-up syncs call it.
  const client = createCourierClient({
    apiKey: "k",
    baseUrl: "http://127.0.0.1:1",
    fetch: async () => Response.json({}, { status: 200 }),
  });
  const redis = redisUrl ? await createClient({ url: redisUrl }).connect() : undefined;
  const syncs: Array<[string, ProfileSyncMiddleware]> = [
    ["courierProfileSync, in memory", courierProfileSync({ client, getUser })],
  ];
  if (redis) {
    const store = createRedisStore({ client: redis, prefix: "bench-mw:" });
    syncs.push(["courierProfileSync, on Redis", courierProfileSync({ client, getUser, store })]);
  }
  const sides: Array<{ name: string; handler: RequestHandler; drained: () => Promise<unknown> }> = [
    { name: "next() only", handler: (_req, _res, next) => next(), drained: async () => undefined },
    ...syncs.map(([name, sync]) => ({ name, handler: sync, drained: () => sync.flush(60_000) })),
  ];
  try {
    for (const [, sync] of syncs) {
      for (const req of requests) {
        sync(req, {} as Response, () => undefined);
      }
      await sync.flush(60_000);
    }
    const cpu = sides.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [k, side] of sides.entries()) {
        cpu[k]?.push(await cpuPer(REQUESTS, () => drive(side.handler, side.drained)));
      }
    }
    // One round each under the profiler: bytes allocated hold still from round to round.
    const bytes: number[] = [];
    for (const side of sides) {
      bytes.push(await bytesPer(REQUESTS, () => drive(side.handler, side.drained)));
    }
    const cpuBest = cpu.map((figures) => Math.min(...figures));
    const added = (figures: number[], digits: number) => [
      "",
      ...figures.slice(1).map((f) => fmt(f - (figures[0] ?? 0), digits)),
    ];
    return [
      ["", ...sides.map((s) => s.name)],
      ["CPU µs per request", ...cpuBest.map((f) => fmt(f, 2))],
      ["  added to next() only", ...added(cpuBest, 2)],
      ["bytes allocated per request", ...bytes.map((f) => fmt(f))],
      ["  added to next() only", ...added(bytes, 0)],
    ];
  } finally {
    await Promise.all(syncs.map(([, sync]) => sync.close(1_000)));
    await redis?.close();
  }
}

async function redisChecks(redisUrl: string): Promise<string[][]> {
  const redis = await createClient({ url: redisUrl }).connect();
  try {
    const store = createRedisStore({ client: redis, prefix: "bench-work:" });
    const check = (k: number) => store.setIfChanged(`profile:${k % USERS}`, "digest", 60_000);
    await Promise.all(Array.from({ length: USERS }, (_, k) => check(k)));
    const rows = [["checks per script call", "CPU µs per check", "CPU µs per call"]];
    for (const size of [1, 12, 50]) {
      const calls = Math.round(2_000 / size);
      const figures: number[] = [];
      for (let round = 0; round < 3; round++) {
        figures.push(
          await cpuPer(calls * size, async () => {
            for (let c = 0; c < calls; c++) {
              await Promise.all(Array.from({ length: size }, (_, i) => check(c * size + i)));
            }
          }),
        );
      }
      const best = Math.min(...figures);
      rows.push([String(size), fmt(best, 1), fmt(best * size, 0)]);
    }
    return rows;
  } finally {
    await redis.close();
  }
}

/** Both parts; the Redis one only with a redis-server's URL. */
export async function benchSyncWork(redisUrl?: string) {
  console.log(
    `\n## Express profile sync, its own work, in process: best of ${ROUNDS} rounds of ${fmt(REQUESTS)} requests from ${fmt(USERS)} synced users (allocation: one more round under the sampling heap profiler)`,
  );
  console.log(table(await middlewareWork(redisUrl)));
  if (redisUrl) {
    console.log(
      "\n## Redis store: one profile check (setIfChanged) by checks per script call, best of 3 rounds of 2,000",
    );
    console.log(table(await redisChecks(redisUrl)));
  }
}
