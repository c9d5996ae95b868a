/**
 * Issue 3: POST /send throughput on loopback against a minimal server, one process, sequential calls:
 * raw fetch, bare openapi-fetch, @courier-ts/client and the official @trycourier/courier (baseline only).
 */
import { createCourierClient } from "@courier-ts/client";
import type { paths } from "@courier-ts/core";
import Courier from "@trycourier/courier";
import createClient from "openapi-fetch";
import { compareSequential, fmt, type Result, startMinimalServer, table } from "./lib.ts";

export async function benchClient(count = 5000, rounds = 3): Promise<Result[]> {
  const server = await startMinimalServer();
  const apiKey = "bench-key";
  const body = { message: { to: { user_id: "user-1" }, template: "WELCOME", data: { name: "Jane" } } };
  const json = JSON.stringify(body);
  const bare = createClient<paths>({ baseUrl: server.url, headers: { Authorization: `Bearer ${apiKey}` } });
  const ours = createCourierClient({ apiKey, baseUrl: server.url });
  const official = new Courier({ apiKey, baseURL: server.url });
  try {
    const results = await compareSequential(
      [
        {
          name: "raw fetch",
          fn: async () => {
            const response = await fetch(`${server.url}/send`, {
              method: "POST",
              headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
              body: json,
            });
            return response.json();
          },
        },
        { name: "openapi-fetch (bare)", fn: () => bare.POST("/send", { body }) },
        { name: "@courier-ts/client", fn: () => ours.POST("/send", { body }) },
        { name: "@trycourier/courier 7.10.2", fn: () => official.send.message(body as never) },
      ],
      count,
      rounds,
    );
    const raw = results[0]?.opsPerSec ?? 1;
    const off = results[3]?.opsPerSec ?? 1;
    console.log(`\n## Client throughput: ${count} sequential POST /send x ${rounds} rounds (best round), loopback`);
    console.log(
      table([
        ["client", "req/s", "vs raw fetch", "vs official"],
        ...results.map((r) => [
          r.name,
          fmt(r.opsPerSec),
          `${fmt(r.opsPerSec / raw, 2)}x`,
          `${fmt(r.opsPerSec / off, 2)}x`,
        ]),
      ]),
    );
    return results;
  } finally {
    await server.close();
  }
}
