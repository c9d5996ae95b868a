/**
 * Child process of the Express proxy benchmark, so that the load generator, the emulator and the app
 * each get their own process. `emulator`: starts the emulator with one profile and prints its URL.
 * `proxy` / `hand`: against COURIER_URL, starts the app with courierProxy, or the app with a
 * hand-written route doing the same upstream call, and prints its URL. Each app also answers
 * `GET /__cpu` with the CPU time its process has used (µs), so the bench can report CPU per request,
 * which a busy machine disturbs far less than req/s. `sync`: an app whose `GET /page` runs behind
 * courierProfileSync (SYNC=on, or SYNC=thread for its sync thread; with REDIS_URL its store is Redis
 * through REDIS_CLIENT `redis` or `ioredis`, its keys under REDIS_PREFIX) or without it (SYNC=off). On
 * every side the app's own auth loads the user named by `x-user` (their record's version: `x-version`), and
 * the middleware's `getUser` maps that user to profile fields;
 * `GET /__flush` waits for the syncs; `GET /__gc` answers (and forgets) the garbage collections since the
 * last call, as `[start, duration]` pairs in ms since the epoch, so the bench can tell which slow requests
 * met a collection pause. Stops on SIGTERM.
 */
import type { AddressInfo } from "node:net";
import { PerformanceObserver } from "node:perf_hooks";
import { createCourierClient, unwrap } from "@courier-ts/client";
import { startEmulator } from "@courier-ts/emulator";
import { courierProfileSync, courierProxy, type ProfileSyncStore } from "@courier-ts/express";
import { createRedisStore } from "@courier-ts/express/redis";
import express from "express";
import { Redis } from "ioredis";
import { createClient } from "redis";

export const BENCH_KEY = "bench";
export const BENCH_USER = "bench-user";

type WithUser = express.Request & { userId?: string; user?: AppUser };

/** The signed-in user as the sync app's auth loads them (from a session or a database, in a real app). */
interface AppUser {
  id: string;
  email: string;
  name: string;
}

/**
 * The sync app's own auth, on every side alike (the app authenticates every request whether or not it
 * syncs profiles): `x-user` names the signed-in user and `x-version` their record's version.
 */
function loadUser(req: express.Request, _res: express.Response, next: express.NextFunction) {
  const id = req.get("x-user");
  if (id) {
    (req as WithUser).user = { id, email: `${id}@example.com`, name: `${id} v${req.get("x-version") ?? 0}` };
  }
  next();
}

/** The app's own auth, simplified: the `x-user` header names the signed-in user. */
function auth(req: express.Request, _res: express.Response, next: express.NextFunction) {
  (req as WithUser).userId = req.get("x-user") || undefined;
  next();
}

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, "127.0.0.1");
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function main() {
  const role = process.argv[2];
  if (role === "emulator") {
    const emulator = await startEmulator({ apiKey: BENCH_KEY });
    const client = createCourierClient({ apiKey: BENCH_KEY, baseUrl: emulator.url });
    await unwrap(
      client.POST("/profiles/{user_id}", {
        params: { path: { user_id: BENCH_USER } },
        body: { profile: { email: "bench@example.com", name: "Bench" } },
      }),
    );
    process.stdout.write(`READY ${emulator.url}\n`);
    process.on("SIGTERM", () => void emulator.close().then(() => process.exit(0)));
    return;
  }
  const client = createCourierClient({ apiKey: BENCH_KEY, baseUrl: process.env.COURIER_URL ?? "" });
  const userId = (req: express.Request) => (req as WithUser).userId;
  const app = express();
  app.get("/__cpu", (_req, res) => {
    const { user, system } = process.cpuUsage();
    res.json({ micros: user + system });
  });
  if (role === "sync") {
    await syncApp(app, client);
    process.stdout.write(`READY ${await serve(app)}\n`);
    process.on("SIGTERM", () => process.exit(0));
    return;
  }
  app.use(auth);
  if (role === "proxy") {
    app.use("/api/courier", courierProxy({ client, getUserId: userId }));
  } else {
    // What an app would write by hand for the same route: auth check, one upstream call, JSON out.
    app.get("/api/courier/profile", async (req, res, next) => {
      const id = userId(req);
      if (!id) {
        res.status(401).json({ message: "Sign in to use Courier", type: "authentication_error" });
        return;
      }
      try {
        const result = await client.GET("/profiles/{user_id}", { params: { path: { user_id: id } } });
        res.json({ profile: result.response.status === 404 ? {} : ((await unwrap(result))?.profile ?? {}) });
      } catch (error) {
        next(error);
      }
    });
  }
  process.stdout.write(`READY ${await serve(app)}\n`);
  process.on("SIGTERM", () => process.exit(0));
}

async function syncApp(app: express.Express, client: ReturnType<typeof createCourierClient>) {
  let store: ProfileSyncStore | undefined;
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    const redis =
      process.env.REDIS_CLIENT === "ioredis" ? new Redis(redisUrl) : await createClient({ url: redisUrl }).connect();
    store = createRedisStore({ client: redis, prefix: process.env.REDIS_PREFIX });
  }
  const sync = courierProfileSync({
    ...(process.env.SYNC === "thread"
      ? { thread: { apiKey: BENCH_KEY, baseUrl: process.env.COURIER_URL ?? "" } }
      : { client }),
    store,
    // As the README's example does: the user the app's auth loaded, as Courier profile fields.
    getUser: (req) => {
      const user = (req as WithUser).user;
      return user && { id: user.id, profile: { email: user.email, name: user.name } };
    },
  });
  // Collection pauses, on the same clock in every process (ms since the epoch). Bounded: the bench reads
  // them after every run of slices, a few hundred at a time.
  const pauses: Array<[number, number]> = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (pauses.length < 100_000) {
        pauses.push([performance.timeOrigin + entry.startTime, entry.duration]);
      }
    }
  }).observe({ entryTypes: ["gc"] });
  app.get("/__gc", (_req, res) => {
    res.json(pauses.splice(0));
  });
  app.get("/__flush", async (_req, res) => {
    res.json({ drained: await sync.flush(60_000), stats: sync.stats() });
  });
  app.use(loadUser);
  if (process.env.SYNC === "on" || process.env.SYNC === "thread") {
    app.use(sync);
  }
  app.get("/page", (_req, res) => {
    res.json({ ok: true });
  });
}

await main();
