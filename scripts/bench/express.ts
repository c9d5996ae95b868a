/**
 * `pnpm bench express`, two parts, each reported as ratios measured in the same run:
 *
 * 1. Proxy overhead: `GET /api/courier/profile` through courierProxy vs a hand-written Express route
 *    doing the same upstream call, with the emulator called directly beside them (the cost of the hop),
 *    and the hand-written route again in another process as a control: the ratio of two runs of the
 *    same app is how much the machine alone moves these figures.
 *    autocannon at 1 and 64 connections, 10 short rounds per target taking turns, req/s and CPU over all
 *    of a target's rounds, p99 the median round's; the emulator, the apps and the load generator each
 *    run in their own process, the apps on CPU 0 and the rest on CPU 1 where processes can be pinned.
 *    The apps' CPU time per request is reported too.
 * 2. Profile sync: requests from 1,000 users (all synced beforehand) at a steady rate that keeps the app
 *    without the middleware about a fifth busy, at most 1,000 requests/s (`rateFor`; an open-loop load: a
 *    closed loop on this 2-core machine saturates it, and p99 then measures the scheduler, not the app),
 *    1 % of the requests bringing a profile change, the same app (in its own
 *    process, on a CPU of its own) without courierProfileSync, with it, with it making its upstream calls
 *    on its sync thread (`thread`), and without it again in other processes as a control; then two
 *    instances sharing one redis-server. The sides take turns in slices
 *    of 1,000 requests (one second at 1,000/s), 48 slices each, so that whatever the machine does meanwhile falls on
 *    all of them alike; p50/p99 are over all of a side's requests, each p99 ratio with its 95 %
 *    interval over the run's slices (a paired bootstrap), and also against both runs of the app without it
 *    together (a reference that moves less than one process). Reports them and the CPU ratios,
 *    upstream calls vs distinct changes, and what p99 is made of: each app's garbage-collection pauses
 *    (ms per 1,000 requests) and the share of the slowest 1 % of requests that were under way during one.
 * 3. The profile sync's own work per request, in process, with no HTTP around it (`expressWork.ts`).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startRedisServer } from "../../packages/express/src/__tests__/redisServer.ts";
import { benchSyncWork } from "./expressWork.ts";
import { fmt, percentile, table } from "./lib.ts";
import { benchWakeup } from "./wakeup.ts";

/**
 * Whether processes can be pinned to CPUs here: `taskset` (util-linux) and at least two CPUs. The
 * profile-sync bench gives the measured app CPU 0 to itself and everything else (load generator,
 * emulator, redis-server) CPU 1, so that the emulator's and Redis's work, which in production runs on
 * other machines, does not count as the middleware's.
 */
const canPin = (() => {
  try {
    return availableParallelism() >= 2 && execFileSync("taskset", ["-p", String(process.pid)]).length > 0;
  } catch {
    return false;
  }
})();

/** Pins this process (and what it starts from now on) to `cpus` (e.g. "1" or "0-1"), where it can. */
function pinSelf(cpus: string): void {
  if (canPin) {
    execFileSync("taskset", ["-p", "-c", cpus, String(process.pid)], { stdio: "ignore" });
  }
}

/**
 * Runs `bench` with this process, and what it starts (load generator, emulator, redis-server), on CPU 1;
 * the measured apps are started on CPU 0 by `child(..., 0)`. Every CPU again afterwards.
 */
async function onCpu1<T>(bench: () => Promise<T>): Promise<T> {
  pinSelf("1");
  try {
    return await bench();
  } finally {
    pinSelf(`0-${availableParallelism() - 1}`);
  }
}

/**
 * Starts `expressServer.ts <role>` (on CPU `cpu` alone when given, with the Node flags `flags`) and resolves
 * with the URLs it prints.
 */
function child(
  role: string,
  env: Record<string, string> = {},
  cpu?: number,
  flags: string[] = [],
): Promise<{ urls: string[]; process: ChildProcess }> {
  const script = fileURLToPath(new URL("./expressServer.ts", import.meta.url));
  const node = [process.execPath, ...flags, "--import", "tsx", script, role];
  const [command, ...args] = cpu !== undefined && canPin ? ["taskset", "-c", String(cpu), ...node] : node;
  const proc = spawn(command as string, args, {
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
  requests: number;
  seconds: number;
  p99: number;
  /** CPU time of the app's process over the round, µs (not measured for the emulator). */
  cpu: number;
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
  return { requests: result.requests.total, seconds: result.duration, p99: result.latency.p99, cpu };
}

export function benchProxy(rounds = 10, seconds = 1.5) {
  return onCpu1(() => benchProxyPinned(rounds, seconds));
}

async function benchProxyPinned(rounds: number, seconds: number) {
  const emulator = await child("emulator");
  const [emulatorUrl = ""] = emulator.urls;
  const proxyApp = await child("proxy", { COURIER_URL: emulatorUrl }, 0);
  const handApp = await child("hand", { COURIER_URL: emulatorUrl }, 0);
  // The hand-written route again, in a process of its own: how far two runs of the very same app differ.
  const controlApp = await child("hand", { COURIER_URL: emulatorUrl }, 0);
  const [proxyUrl = "", handUrl = "", controlUrl = ""] = [proxyApp.urls[0], handApp.urls[0], controlApp.urls[0]];
  const user = { "x-user": "bench-user" };
  const targets = [
    { name: "courierProxy", url: `${proxyUrl}/api/courier/profile`, headers: user, app: proxyUrl },
    { name: "hand-written route", url: `${handUrl}/api/courier/profile`, headers: user, app: handUrl },
    {
      name: "the same route again (control)",
      url: `${controlUrl}/api/courier/profile`,
      headers: user,
      app: controlUrl,
    },
    { name: "emulator direct", url: `${emulatorUrl}/profiles/bench-user`, headers: { authorization: "Bearer bench" } },
  ];
  const rows = [
    ["conns", "target", "req/s", "p99 ms", "app CPU µs/req", "req/s vs hand", "p99 vs hand", "CPU vs hand"],
  ];
  const ratios: Record<number, { rps: number; p99: number; cpu: number; controlRps: number; controlP99: number }> = {};
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
        const sum = (k: "requests" | "seconds" | "cpu") => loads.reduce((total, l) => total + l[k], 0);
        const p99s = loads.map((l) => l.p99).sort((a, b) => a - b);
        return {
          name: t.name,
          // All rounds together: short rounds taking turns put the machine's own ups and downs on every
          // target alike, where the best round of each would pick each target's luckiest moment.
          rps: sum("requests") / sum("seconds"),
          p99: p99s[Math.floor(p99s.length / 2)] ?? 0,
          cpu: sum("cpu") / Math.max(1, sum("requests")),
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
      const control = summary[2] ?? hand;
      ratios[connections] = {
        rps: proxy.rps / hand.rps,
        p99: proxy.p99 / Math.max(hand.p99, 1),
        cpu: proxy.cpu / hand.cpu,
        controlRps: control.rps / hand.rps,
        controlP99: control.p99 / Math.max(hand.p99, 1),
      };
    }
  } finally {
    await Promise.all([proxyApp, handApp, controlApp].map((app) => stopChild(app.process)));
    await stopChild(emulator.process);
  }
  console.log(
    `\n## Express proxy overhead: GET /api/courier/profile, autocannon, ${rounds} interleaved rounds of ${seconds} s per target: req/s and CPU over all of them, p99 the median round's`,
  );
  console.log("target: courierProxy >= 0.95x the hand-written route's req/s, p99 <= 1.1x");
  console.log(table(rows));
  return ratios;
}

/**
 * A keep-alive agent for the profile-sync load: plain `http` costs the load generator far less than fetch.
 * It closes a socket idle for 30 s itself, before the apps' 60 s keep-alive timeout can: otherwise a socket
 * the app closes just as a request goes out on it fails that request with ECONNRESET (at a few hundred
 * requests/s most of the 64 sockets sit idle for long stretches, and one run failed so).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 30_000 });

/** GET `url` with `headers` over `agent`; resolves when the whole answer has arrived. */
function get(url: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    request(url, { agent, headers }, (response) => {
      response.resume();
      response.on("end", resolve);
      response.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

/** One request of the load: when it was sent (ms since the epoch) and how long its answer took (ms). */
type Sent = [sentAt: number, latency: number];

/**
 * `total` requests from `users` users, started at a steady `rate` per second whatever the answers do
 * (an open-loop load, as real users make: a slow answer does not hold back the next request). Pass p of
 * the user list goes to instance p + `pass` (mod their number), so every user is seen by every instance.
 * User ids start with `prefix`, and the first request is user `offset`'s. Each request's send time and latency
 * (from sending to the end of the answer).
 */
async function load(
  urls: string[],
  users: number,
  total: number,
  rate: number,
  version: (user: number, i: number) => number,
  pass = 0,
  prefix = "",
  offset = 0,
): Promise<Sent[]> {
  const sent: Sent[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const user = (offset + i) % users;
    const url = urls[(Math.floor(i / users) + pass) % urls.length];
    const headers = { "x-user": `${prefix}user-${user}`, "x-version": String(version(user, i)) };
    const at = performance.now();
    inFlight.push(
      get(`${url}/page`, headers).then(() => void sent.push([performance.timeOrigin + at, performance.now() - at])),
    );
  }
  await Promise.all(inFlight);
  return sent;
}

/** The apps' collection pauses since the last call, `[start, duration]` in ms since the epoch, by start. */
async function pausesOf(urls: string[]): Promise<Array<[number, number]>> {
  const lists = await Promise.all(
    urls.map(async (url) => (await (await fetch(`${url}/__gc`)).json()) as Array<[number, number]>),
  );
  return lists.flat().sort((a, b) => a[0] - b[0]);
}

/**
 * The 95 % interval of the ratio of `side`'s p99 to `base`'s, by a paired bootstrap over the run's rounds:
 * 400 times, the same rounds are drawn with replacement for both sides, and the p99 of each side's drawn
 * slices gives one ratio. It shows how far the ratio moves with which slices the run happened to get (the
 * tail is a few hundred requests caught by collection pauses); it cannot see what differs between two
 * processes, which the control's own ratio shows. Seeded, so a run's figures can be computed again.
 */
function p99RatioInterval(base: Float64Array[], side: Float64Array[], draws = 400): string {
  const rounds = Math.min(base.length, side.length);
  let seed = 0x9e3779b9;
  // mulberry32: a small seeded generator, so the interval does not change from one printing to the next.
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const p99Of = (slices: Float64Array[], picks: number[]) => {
    const all = new Float64Array(picks.reduce((total, i) => total + (slices[i]?.length ?? 0), 0));
    let at = 0;
    for (const i of picks) {
      all.set(slices[i] ?? [], at);
      at += slices[i]?.length ?? 0;
    }
    all.sort();
    return all[Math.min(all.length - 1, Math.floor(0.99 * all.length))] ?? 0;
  };
  const ratios: number[] = [];
  for (let d = 0; d < draws; d++) {
    const picks = Array.from({ length: rounds }, () => Math.floor(random() * rounds));
    ratios.push(p99Of(side, picks) / Math.max(p99Of(base, picks), Number.EPSILON));
  }
  ratios.sort((x, y) => x - y);
  return `${fmt(percentile(ratios, 2.5), 2)}x-${fmt(percentile(ratios, 97.5), 2)}x`;
}

/** Whether the request `[sentAt, latency]` was under way during one of `pauses` (sorted by start). */
function metPause([sentAt, latency]: Sent, pauses: Array<[number, number]>): boolean {
  // From the latest pause back: one that started after the answer arrived does not count, and the walk stops
  // at pauses that started more than a second before the request (none lasts that long).
  for (let i = pauses.length - 1; i >= 0; i--) {
    const [start, duration] = pauses[i] as [number, number];
    if (start >= sentAt + latency) {
      continue;
    }
    if (start + duration > sentAt) {
      return true;
    }
    if (start < sentAt - 1_000) {
      return false;
    }
  }
  return false;
}

/**
 * The steady rate of the profile-sync load, from the plain app's CPU per request (µs): the rate that keeps it
 * busy `busy` of the time, in hundreds of requests per second, from 100 up to `maxRate`. On a machine where
 * the app costs 200 µs or less per request that is 1,000/s; where it costs 500 µs (a slower machine), 400/s.
 * An open-loop load much above that puts requests behind one another so often that p99 measures the queue,
 * and a run at 50 % busy read p99s of 15 to 40 ms with the control 0.67x of the app it copies.
 */
function rateFor(cpuPerRequest: number, maxRate: number, busy = 0.2): number {
  const rate = Math.floor((busy * 1e6) / Math.max(cpuPerRequest, 1) / 100) * 100;
  return Math.min(maxRate, Math.max(100, rate));
}

/**
 * Profile sync on `instances` app processes per side vs the same apps without it, and without it again as
 * a control, in interleaved slices of `slice` requests, each slice on one process of its side. With
 * `redisUrl` a side's processes share a redis-server as their store, and every user goes to each of them in
 * turn; without it each process has its own memory and `users` users of its own (as behind a load balancer
 * that keeps each user on one instance). Several processes per side, because one process's p99 can sit
 * 10 % above or below another's of the very same app for a whole run (see the README). In each "with"
 * slice, `changedShare` of the requests bring a profile change; upstream calls are counted by the emulator
 * and compared with the distinct changes the apps were shown. The rate is `rateFor` the plain app's CPU per
 * request, measured during its warm-up.
 */
async function benchSync(
  label: string,
  instances: number,
  redisUrl: string | undefined,
  // 48 slices: a multiple of two and of three, so that every process of a side gets as many.
  { users = 1_000, slice = 1_000, changedShare = 0.01, maxRate = 1_000, slices = 48 } = {},
) {
  /** Without a shared store, process k of a side serves users `p<k>-user-0...` of its own. */
  const ownUsers = !redisUrl;
  const emulator = await child("emulator");
  const [emulatorUrl = ""] = emulator.urls;
  const env = (sync: string, k: number) => ({
    COURIER_URL: emulatorUrl,
    SYNC: sync,
    // Each side's keys of its own: the two sides with the middleware sync the same users separately.
    ...(redisUrl
      ? { REDIS_URL: redisUrl, REDIS_CLIENT: k % 2 ? "ioredis" : "redis", REDIS_PREFIX: `bench-${sync}:` }
      : {}),
  });
  // The apps run on one CPU (above), and their p99 is made of their collection pauses. V8's default
  // collector also runs collection work on helper threads, which there can only take turns with the app's
  // thread: in this setup p99 read 6-8 ms with it and 3-4.5 ms with the collection on the app's own thread,
  // as suits a process on one CPU (measured side by side, four processes at a time). Same-app processes
  // still differ by up to 25 % in some runs either way, hence several processes per side.
  const gcFlags = canPin ? ["--single-threaded-gc"] : [];
  const started = (sync: string) =>
    Promise.all(Array.from({ length: instances }, (_, k) => child("sync", env(sync, k), 0, gcFlags)));
  // The control is the app without the middleware again, in processes of its own: how far two runs of
  // the very same app differ here, to read the with / without ratios against.
  const [plain, control, synced, threaded] = await Promise.all([
    started("off"),
    started("off"),
    started("on"),
    started("thread"),
  ]);
  const urlsOf = (apps: Array<{ urls: string[] }>) => apps.map((c) => c.urls[0] ?? "");
  /** (side, user, version) triples the apps with the middleware were shown: each new one is a distinct change. */
  const shown = new Set<string>();
  const flushAll = (urls: string[]) => Promise.all(urls.map((url) => fetch(`${url}/__flush`).then((r) => r.json())));
  const calls = async () =>
    ((await (await fetch(`${emulatorUrl}/__emulator/stats`)).json()) as { effects: Record<string, number> }).effects[
      "POST /profiles/{user_id}"
    ] ?? 0;
  const cpu = (urls: string[]) => Promise.all(urls.map((url) => cpuMicros(url))).then((m) => m.reduce((a, b) => a + b));
  /** A side's requests, CPU time, and the time windows of its slices (ms since the epoch). */
  /** A side with the middleware has its users' profile versions (each side's users change on their own). */
  type Side = {
    name: string;
    urls: string[];
    sent: Sent[];
    /** The latencies of each of its slices, by round. */
    bySlice: Float64Array[];
    cpu: number;
    windows: Array<[number, number]>;
    versions?: number[];
  };
  const side = (name: string, apps: Array<{ urls: string[] }>, syncing = false): Side => ({
    name,
    urls: urlsOf(apps),
    sent: [],
    bySlice: [],
    cpu: 0,
    windows: [],
    versions: syncing ? new Array<number>(users * (ownUsers ? instances : 1)).fill(0) : undefined,
  });
  const now = () => performance.timeOrigin + performance.now();
  const sides = {
    without: side("without", plain),
    control: side("control", control),
    with: side("with", synced, true),
    thread: side("thread", threaded, true),
  };
  const syncing = [sides.with, sides.thread];
  try {
    // Every user has been seen (and synced) by every instance that serves them before the measured slices.
    // The plain processes first, at the highest rate: their CPU per request once warm (the second 1,000
    // requests) sets the rate of the rest.
    const plainUrls = [sides.without, sides.control].flatMap((s) => s.urls);
    let plainCpu = 0;
    for (const s of [sides.without, sides.control]) {
      for (const [k, url] of s.urls.entries()) {
        const prefix = ownUsers ? `p${k}-` : "";
        await load([url], users, 1_000, maxRate, () => 0, 0, prefix);
        const cpuBefore = await cpuMicros(url);
        await load([url], users, 1_000, maxRate, () => 0, 0, prefix);
        plainCpu += (await cpuMicros(url)) - cpuBefore;
      }
    }
    const rate = rateFor(plainCpu / (1_000 * plainUrls.length), maxRate);
    const changed = Math.round(slice * changedShare);
    for (const s of syncing) {
      if (ownUsers) {
        for (const [k, url] of s.urls.entries()) {
          const seen = (u: number) => {
            shown.add(`${s.name}:${k * users + u}:0`);
            return 0;
          };
          await load([url], users, users, 4 * rate, seen, 0, `p${k}-`);
        }
      } else {
        await load(s.urls, users, users * instances, 4 * rate, (u) => {
          shown.add(`${s.name}:${u}:0`);
          return 0;
        });
      }
      await flushAll(s.urls);
    }
    const before = await calls();
    const shownBefore = shown.size;
    const order = [sides.without, sides.with, sides.thread, sides.control];
    // The collections of the warm-up are not the slices'.
    await Promise.all(order.map((s) => pausesOf(s.urls)));
    // Where in each "with" slice the profile changes happen (the same places every slice).
    const changeAt = new Set(Array.from({ length: changed }, (_, c) => Math.floor((c * slice) / changed)));
    for (let round = 0; round < slices; round++) {
      // Each side goes first, second, third and fourth in turn: whatever the previous slice left (a
      // collection due, a warm cache) falls on each of them alike. Slice r goes to instance r (mod their
      // number).
      const instance = round % instances;
      for (let k = 0; k < order.length; k++) {
        const s = order[(round + k) % order.length] as Side;
        const versions = s.versions;
        // Without a store, this slice's users are the instance's own (their versions from `base` on).
        const base = ownUsers ? instance * users : 0;
        // A slice shorter than the user list goes on where the process's previous slice stopped.
        const offset = ((ownUsers ? Math.floor(round / instances) : round) * slice) % users;
        const version = versions
          ? (u: number, i: number) => {
              if (changeAt.has(i)) {
                // One of the users this slice serves.
                const target = base + ((offset + ((i * 7 + round * 13) % slice)) % users);
                versions[target] = (versions[target] ?? 0) + 1;
              }
              const v = versions[base + u] ?? 0;
              shown.add(`${s.name}:${base + u}:${v}`);
              return v;
            }
          : () => 0;
        const cpuBefore = await cpu(s.urls);
        const from = now();
        const got = ownUsers
          ? await load([s.urls[instance] ?? ""], users, slice, rate, version, 0, `p${instance}-`, offset)
          : await load(s.urls, users, slice, rate, version, round, "", offset);
        s.sent.push(...got);
        s.bySlice.push(Float64Array.from(got, ([, latency]) => latency));
        s.windows.push([from, now()]);
        s.cpu += (await cpu(s.urls)) - cpuBefore;
        if (s.versions) {
          await flushAll(s.urls);
        }
      }
    }
    const upstream = (await calls()) - before;
    const changes = shown.size - shownBefore;
    type Figures = { p50: number; p99: number; p999: number; cpu: number; gc: number; met: number };
    // Each process's own slices: slice r went to process r mod `instances`.
    const eachP99 = (s: Side) =>
      Array.from({ length: instances }, (_, k) => {
        const own = s.bySlice.filter((_, round) => round % instances === k).flatMap((slice) => [...slice]);
        return fmt(
          percentile(
            own.sort((x, y) => x - y),
            99,
          ),
          2,
        );
      }).join(", ");
    const figures = async (s: Side): Promise<Figures> => {
      const all = s.sent.map(([, latency]) => latency).sort((x, y) => x - y);
      const p99 = percentile(all, 99);
      // The apps' collections during this side's own slices (the others' slices leave it idle).
      const pauses = (await pausesOf(s.urls)).filter(([start]) =>
        s.windows.some(([from, to]) => start >= from && start <= to),
      );
      const slow = s.sent.filter(([, latency]) => latency >= p99);
      return {
        p50: percentile(all, 50),
        p99,
        p999: percentile(all, 99.9),
        cpu: s.cpu / all.length,
        gc: (pauses.reduce((total, [, duration]) => total + duration, 0) * 1_000) / all.length,
        met: slow.filter((request) => metPause(request, pauses)).length / Math.max(1, slow.length),
      };
    };
    const [a, b, t, c] = [
      await figures(sides.without),
      await figures(sides.with),
      await figures(sides.thread),
      await figures(sides.control),
    ];
    const ratio = (x: Figures, k: keyof Figures) => `${fmt(x[k] / a[k], 2)}x`;
    // The two processes of the plain app as one reference, round by round: one process's tail can sit 10 %
    // above or below another's for a whole run (see the README), and a reference of two moves less.
    const plainSlices = sides.without.bySlice.map((slice, r) => {
      const other = sides.control.bySlice[r] ?? new Float64Array();
      const both = new Float64Array(slice.length + other.length);
      both.set(slice);
      both.set(other, slice.length);
      return both;
    });
    const plainP99 = percentile(
      [...sides.without.sent, ...sides.control.sent].map(([, latency]) => latency).sort((x, y) => x - y),
      99,
    );
    console.log(
      `\n## Express profile sync, ${label}: ${slices} interleaved slices of ${fmt(slice)} requests per side from ${fmt(users)} users, ${changed} profile changes each, ${fmt(rate)} requests/s${canPin ? ", the apps on a CPU of their own" : ""}`,
    );
    console.log(
      `upstream profile calls: ${upstream}; distinct changes shown: ${changes} (target: equal; both sides with the middleware, each with users of its own)`,
    );
    const rows: Array<[string, keyof Figures, number]> = [
      ["p50 ms", "p50", 3],
      ["p99 ms (target <= 1.05x)", "p99", 3],
      ["p99.9 ms", "p999", 3],
      ["app CPU µs/req", "cpu", 0],
      ["app GC pauses, ms per 1,000 requests", "gc", 1],
    ];
    console.log(
      table([
        [
          `all ${fmt(slices * slice)} requests of a side`,
          "without",
          "with",
          "with / without",
          "with, sync thread",
          "sync thread / without",
          "control / without (same app)",
        ],
        ...rows.map(([name, k, digits]) => [
          name,
          fmt(a[k], digits),
          fmt(b[k], digits),
          ratio(b, k),
          fmt(t[k], digits),
          ratio(t, k),
          ratio(c, k),
        ]),
        [
          "p99 ratio, 95 % interval over the run's slices (paired bootstrap)",
          "-",
          "-",
          p99RatioInterval(sides.without.bySlice, sides.with.bySlice),
          "-",
          p99RatioInterval(sides.without.bySlice, sides.thread.bySlice),
          p99RatioInterval(sides.without.bySlice, sides.control.bySlice),
        ],
        [
          "p99 vs both apps without it together (without and control), 95 % interval",
          "-",
          "-",
          `${fmt(b.p99 / plainP99, 2)}x (${p99RatioInterval(plainSlices, sides.with.bySlice)})`,
          "-",
          `${fmt(t.p99 / plainP99, 2)}x (${p99RatioInterval(plainSlices, sides.thread.bySlice)})`,
          "-",
        ],
        [
          "p99 ms of each process (its slices only)",
          ...[sides.without, sides.with].map(eachP99),
          "-",
          eachP99(sides.thread),
          "-",
          `${eachP99(sides.control)} (control)`,
        ],
        [
          "requests at or above p99 that were under way during an app GC pause",
          ...[a, b].map((x) => `${fmt(x.met * 100)} %`),
          "-",
          `${fmt(t.met * 100)} %`,
          "-",
          `${fmt(c.met * 100)} % (control)`,
        ],
      ]),
    );
    return {
      rate,
      upstream,
      changes,
      p50Ratio: b.p50 / a.p50,
      p99Ratio: b.p99 / a.p99,
      cpuRatio: b.cpu / a.cpu,
      gcRatio: b.gc / a.gc,
      threadP99Ratio: t.p99 / a.p99,
      threadP99VsPlain: t.p99 / plainP99,
      threadCpuRatio: t.cpu / a.cpu,
      controlP99Ratio: c.p99 / a.p99,
    };
  } finally {
    await Promise.all([...plain, ...control, ...synced, ...threaded].map((c) => stopChild(c.process)));
    await stopChild(emulator.process);
  }
}

export async function benchProfileSync() {
  const figures = await onCpu1(benchProfileSyncPinned);
  await benchWakeup();
  return figures;
}

async function benchProfileSyncPinned() {
  const single = await benchSync("three instances, each with its own memory and users", 3, undefined);
  const redis = await startRedisServer().catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
  if (!redis.ok) {
    console.log(`\n## Express profile sync, two instances on Redis: skipped (${redis.reason})`);
    await benchSyncWork();
    return { single };
  }
  try {
    const shared = await benchSync("two instances on one Redis (node-redis and ioredis)", 2, redis.url);
    await benchSyncWork(redis.url);
    return { single, shared };
  } finally {
    await redis.stop();
  }
}

export async function benchExpress() {
  const proxy = await benchProxy();
  const sync = await benchProfileSync();
  return { proxy, sync };
}
