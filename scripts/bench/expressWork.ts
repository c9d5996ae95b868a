/**
 * Part of `pnpm bench express`: what courierProfileSync's own work costs, measured in this process
 * without HTTP, so that the figures do not move with the app's garbage collections and the machine's
 * scheduling as the end-to-end figures do.
 *
 * 1. The middleware as Express calls it, with a request whose user (one of 1,000, all synced beforehand,
 *    as in the end-to-end bench) comes from a header, its deferred work waited for; the baseline is a
 *    middleware that only calls `next()`.
 * 2. The Redis store's check (`setIfChanged`) against a real redis-server, by how many checks go
 *    together: courierProfileSync gathers the checks of 25 ms, and the store sends each gathering as one
 *    script call.
 */
import { createCourierClient } from "@courier-ts/client";
import { courierProfileSync } from "@courier-ts/express";
import { createRedisStore } from "@courier-ts/express/redis";
import type { Request, RequestHandler, Response } from "express";
import { createClient } from "redis";
import { fmt, table } from "./lib.ts";

const USERS = 1_000;
const REQUESTS = 20_000;
const ROUNDS = 5;

/** Requests of `USERS` users: all that the bench's `getUser` reads is the `x-user` header. */
const requests = Array.from({ length: USERS }, (_, i) => {
  const headers: Record<string, string> = { "x-user": `user-${i}` };
  return { get: (name: string) => headers[name] } as unknown as Request;
});

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

async function middlewareWork(): Promise<string[][]> {
  // A real client over a fetch that answers at once: only the warm-up syncs call it.
  const client = createCourierClient({
    apiKey: "k",
    baseUrl: "http://127.0.0.1:1",
    fetch: async () => Response.json({}, { status: 200 }),
  });
  const sync = courierProfileSync({
    client,
    getUser: (req) => {
      const id = req.get("x-user");
      return id ? { id, profile: { email: `${id}@example.com`, name: `${id} v0` } } : undefined;
    },
  });
  for (const req of requests) {
    sync(req, {} as Response, () => undefined);
  }
  await sync.flush(60_000);
  const plain: RequestHandler = (_req, _res, next) => next();
  const base: number[] = [];
  const withSync: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    base.push(await cpuPer(REQUESTS, () => drive(plain, async () => undefined)));
    withSync.push(await cpuPer(REQUESTS, () => drive(sync, () => sync.flush(60_000))));
  }
  await sync.close(1_000);
  const [a, b] = [Math.min(...base), Math.min(...withSync)];
  return [
    ["", "next() only", "with courierProfileSync", "added"],
    ["CPU µs per request", fmt(a, 2), fmt(b, 2), fmt(b - a, 2)],
  ];
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
    `\n## Express profile sync, its own work, in process: best of ${ROUNDS} rounds of ${fmt(REQUESTS)} requests from ${fmt(USERS)} synced users (memory store)`,
  );
  console.log(table(await middlewareWork()));
  if (redisUrl) {
    console.log(
      "\n## Redis store: one profile check (setIfChanged) by checks per script call, best of 3 rounds of 2,000",
    );
    console.log(table(await redisChecks(redisUrl)));
  }
}
