/**
 * Issue 5: 10,000 requests from 1,000 users (all synced beforehand), 100 of whom change their profile
 * during the run, against the same Express app with and without courierProfileSync. Reports upstream
 * profile calls and the p50/p99 latency ratio (with / without), measured in this run.
 */
import type { AddressInfo } from "node:net";
import { createCourierClient } from "@courier-ts/client";
import { startEmulator } from "@courier-ts/emulator";
import { courierProfileSync } from "@courier-ts/express";
import express from "express";
import { fmt } from "./lib.ts";

async function serve(app: express.Express) {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((r) => server.once("listening", () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(url: string, users: number, total: number, concurrency: number, onRequest: (i: number) => void) {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        onRequest(i);
        const started = performance.now();
        const response = await fetch(`${url}/page`, { headers: { "x-user": `user-${i % users}` } });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

export async function benchExpress(users = 1_000, total = 10_000, changed = 100, concurrency = 10) {
  const emulator = await startEmulator({ apiKey: "bench" });
  const client = createCourierClient({ apiKey: "bench", baseUrl: emulator.url });
  const profiles = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < users; i++) {
    profiles.set(`user-${i}`, { email: `user-${i}@example.com`, name: `User ${i}` });
  }
  const sync = courierProfileSync({
    client,
    getUser: (req) => {
      const id = req.get("x-user") ?? "";
      const profile = profiles.get(id);
      return profile ? { id, profile } : undefined;
    },
  });
  const page = (_req: express.Request, res: express.Response) => {
    res.json({ ok: true });
  };
  const plain = express().get("/page", page);
  const synced = express().use(sync).get("/page", page);
  const a = await serve(plain);
  const b = await serve(synced);
  try {
    // Every user has been seen (and synced) once before the measured run.
    await load(b.url, users, users, concurrency, () => {});
    await sync.flush();
    const before = emulator.state.effects.get("POST /profiles/{user_id}") ?? 0;
    await load(a.url, users, 2_000, concurrency, () => {});
    const without = await load(a.url, users, total, concurrency, () => {});
    const changeAt = new Set(Array.from({ length: changed }, (_, k) => Math.floor((k * total) / changed)));
    const withSync = await load(b.url, users, total, concurrency, (i) => {
      if (changeAt.has(i)) {
        const id = `user-${(i * 7) % users}`;
        profiles.set(id, { ...profiles.get(id), name: `Renamed at ${i}` });
      }
    });
    await sync.flush();
    const calls = (emulator.state.effects.get("POST /profiles/{user_id}") ?? 0) - before;
    const [p50a, p99a, p50b, p99b] = [
      percentile(without, 50),
      percentile(without, 99),
      percentile(withSync, 50),
      percentile(withSync, 99),
    ];
    console.log(
      `\n## Express profile sync: ${fmt(total)} requests from ${fmt(users)} users, ${changed} profile changes, ${concurrency} in flight`,
    );
    console.log(`upstream profile calls during the run: ${calls} (target <= ${changed} plus retries)`);
    console.log(`p50: ${fmt(p50a, 3)} ms without, ${fmt(p50b, 3)} ms with (${fmt(p50b / p50a, 2)}x)`);
    console.log(`p99: ${fmt(p99a, 3)} ms without, ${fmt(p99b, 3)} ms with (${fmt(p99b / p99a, 2)}x, target <= 1.05x)`);
    return { calls, p50Ratio: p50b / p50a, p99Ratio: p99b / p99a };
  } finally {
    a.server.closeAllConnections();
    b.server.closeAllConnections();
    a.server.close();
    b.server.close();
    await emulator.close();
  }
}
