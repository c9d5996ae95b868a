/** Small helpers shared by the benchmark sections. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Result {
  name: string;
  opsPerSec: number;
}

/** A minimal Courier stand-in: answers every request 202 `{ requestId }`. */
export async function startMinimalServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const body = JSON.stringify({ requestId: "1-65f240a0-47a6a120c8374de9bcf9f22a" });
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(202, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `fn` `count` times sequentially, `rounds` times, interleaving candidates; returns the best round of each. */
export async function compareSequential(
  candidates: Array<{ name: string; fn: () => Promise<unknown> }>,
  count: number,
  rounds: number,
): Promise<Result[]> {
  const best = new Map<string, number>();
  for (const c of candidates) {
    for (let i = 0; i < Math.min(500, count); i++) {
      await c.fn();
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (const c of candidates) {
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        await c.fn();
      }
      const opsPerSec = count / ((performance.now() - started) / 1000);
      best.set(c.name, Math.max(best.get(c.name) ?? 0, opsPerSec));
    }
  }
  return candidates.map((c) => ({ name: c.name, opsPerSec: best.get(c.name) ?? 0 }));
}

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")).join("\n");
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The `p`th percentile (0-100) of `sorted` (ascending), by the nearest rank below; 0 when it is empty. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
