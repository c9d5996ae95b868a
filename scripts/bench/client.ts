/**
 * Client throughput on loopback against a minimal keep-alive server, one process: raw fetch, bare
 * openapi-fetch, @courier-ts/client and the official @trycourier/courier (baseline only), for
 * POST /send and GET /profiles/{user_id}, at concurrency 1 and 64. Candidates run interleaved, best
 * round of each counts.
 */
import { createCourierClient } from "@courier-ts/client";
import type { paths } from "@courier-ts/core";
import Courier from "@trycourier/courier";
import createClient from "openapi-fetch";
import { fmt, type Result, startMinimalServer, table } from "./lib.ts";

type Candidate = { name: string; fn: () => Promise<unknown> };

/** `count` calls of `fn` with `concurrency` of them in flight; calls per second. */
async function run(fn: () => Promise<unknown>, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) {
        await fn();
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function compare(candidates: Candidate[], count: number, concurrency: number, rounds: number) {
  const best = new Map<string, number>();
  for (const c of candidates) {
    await run(c.fn, Math.min(500, count), concurrency);
  }
  for (let round = 0; round < rounds; round++) {
    for (const c of candidates) {
      best.set(c.name, Math.max(best.get(c.name) ?? 0, await run(c.fn, count, concurrency)));
    }
  }
  return candidates.map((c): Result => ({ name: c.name, opsPerSec: best.get(c.name) ?? 0 }));
}

export async function benchClient(count = 6000, rounds = 5): Promise<Result[]> {
  const server = await startMinimalServer();
  const apiKey = "bench-key";
  const body = { message: { to: { user_id: "user-1" }, template: "WELCOME", data: { name: "Jane" } } };
  const json = JSON.stringify(body);
  const auth = { Authorization: `Bearer ${apiKey}` };
  const bare = createClient<paths>({ baseUrl: server.url, headers: auth });
  const ours = createCourierClient({ apiKey, baseUrl: server.url });
  const official = new Courier({ apiKey, baseURL: server.url });
  const profile = { params: { path: { user_id: "user-1" } } };
  const operations: Array<[string, Candidate[]]> = [
    [
      "POST /send",
      [
        {
          name: "raw fetch",
          fn: async () => {
            const response = await fetch(`${server.url}/send`, {
              method: "POST",
              headers: { ...auth, "Content-Type": "application/json" },
              body: json,
            });
            return response.json();
          },
        },
        { name: "openapi-fetch (bare)", fn: () => bare.POST("/send", { body }) },
        { name: "@courier-ts/client", fn: () => ours.POST("/send", { body }) },
        { name: "@trycourier/courier 7.10.2", fn: () => official.send.message(body as never) },
      ],
    ],
    [
      "GET /profiles/{user_id}",
      [
        {
          name: "raw fetch",
          fn: async () => (await fetch(`${server.url}/profiles/user-1`, { headers: auth })).json(),
        },
        { name: "openapi-fetch (bare)", fn: () => bare.GET("/profiles/{user_id}", profile) },
        { name: "@courier-ts/client", fn: () => ours.GET("/profiles/{user_id}", profile) },
        { name: "@trycourier/courier 7.10.2", fn: () => official.profiles.retrieve("user-1") },
      ],
    ],
  ];
  const all: Result[] = [];
  try {
    const rows = [["operation", "concurrency", "client", "req/s", "vs raw fetch", "vs official"]];
    for (const [operation, candidates] of operations) {
      for (const concurrency of [1, 64]) {
        const results = await compare(candidates, count, concurrency, rounds);
        const raw = results[0]?.opsPerSec ?? 1;
        const off = results[3]?.opsPerSec ?? 1;
        for (const r of results) {
          rows.push([
            operation,
            String(concurrency),
            r.name,
            fmt(r.opsPerSec),
            `${fmt(r.opsPerSec / raw, 2)}x`,
            `${fmt(r.opsPerSec / off, 2)}x`,
          ]);
          all.push({ name: `${operation} c${concurrency} ${r.name}`, opsPerSec: r.opsPerSec });
        }
      }
    }
    console.log(
      `\n## Client throughput on loopback: ${count} calls x ${rounds} rounds per row (best round), keep-alive server`,
    );
    console.log(table(rows));
    return all;
  } finally {
    await server.close();
  }
}
