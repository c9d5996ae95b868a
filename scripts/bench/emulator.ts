/**
 * The emulator under load, run as its own process (the CLI, as users run it) so that its memory is
 * measured alone: POST /send throughput at 64 in flight; RSS after 1 M sends (each with an
 * Idempotency-Key); GET /messages latency with 1 M sent; a full paging walk at 25k/50k/100k messages
 * (linear if the time per message stays flat); a bulk job of 1 M users (time, RSS, and the slowest
 * request answered while it runs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { fmt, table } from "./lib.ts";

const CLI = fileURLToPath(new URL("../../packages/emulator/dist/cli.mjs", import.meta.url));
const KEY = "bench";

interface Running {
  url: URL;
  child: ChildProcess;
  agent: Agent;
}

async function startChild(): Promise<Running> {
  const child = spawn(process.execPath, [CLI, "--port", "0", "--api-key", KEY], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) {
        resolve(match[1] as string);
      }
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { url: new URL(url), child, agent: new Agent({ keepAlive: true, maxSockets: 64 }) };
}

function call(
  emu: Running,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: emu.url.hostname,
        port: emu.url.port,
        method,
        path,
        agent: emu.agent,
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** The child's resident set size (or, with `peak`, its high-water mark) in MB (Linux /proc). */
function rssMb(emu: Running, peak = false): number {
  const status = readFileSync(`/proc/${emu.child.pid}/status`, "utf8");
  return Number(new RegExp(`${peak ? "VmHWM" : "VmRSS"}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
}

/** RSS right away and after 10 s without requests (V8 collects the garbage of the burst once it is idle). */
async function rssSettled(emu: Running): Promise<string> {
  const now = rssMb(emu);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  return `${fmt(now)} MB, ${fmt(rssMb(emu))} MB 10 s later (peak ${fmt(rssMb(emu, true))} MB)`;
}

async function sends(emu: Running, total: number, concurrency: number, keyed: boolean, offset = 0): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = offset + next++;
      const response = await call(
        emu,
        "POST",
        "/send",
        { message: { to: { user_id: `user-${i % 1000}` }, template: "WELCOME", data: { i } } },
        keyed ? { "idempotency-key": `send-${i}` } : {},
      );
      if (response.status !== 202) {
        throw new Error(`POST /send answered ${response.status}: ${response.text}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

async function latency(emu: Running, path: string, count: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await call(emu, "GET", path);
    times.push(performance.now() - started);
    if (response.status !== 200) {
      throw new Error(`GET ${path} answered ${response.status}`);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count / 2)] as number, p99: times[Math.floor(count * 0.99)] as number };
}

async function walk(emu: Running): Promise<{ ms: number; seen: number }> {
  const started = performance.now();
  let cursor: string | null = null;
  let seen = 0;
  do {
    const response = await call(emu, "GET", `/messages${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
    const page = JSON.parse(response.text) as { results: unknown[]; paging: { cursor: string | null } };
    seen += page.results.length;
    cursor = page.paging.cursor;
  } while (cursor);
  return { ms: performance.now() - started, seen };
}

export async function benchEmulator(): Promise<void> {
  console.log("\n## Emulator (its own process, loopback, default retention caps)");
  const rows: string[][] = [["measure", "result", "before (issue)"]];

  // Throughput.
  let emu = await startChild();
  try {
    await sends(emu, 5_000, 64, false);
    await call(emu, "POST", "/__emulator/reset");
    const perSec = await sends(emu, 50_000, 64, false);
    rows.push(["POST /send, 64 in flight", `${fmt(perSec)} req/s`, "not measured at 64"]);
  } finally {
    emu.child.kill();
  }

  // 1 M sends with idempotency keys, then reads against that state.
  emu = await startChild();
  try {
    const started = performance.now();
    await sends(emu, 1_000_000, 64, true);
    const seconds = (performance.now() - started) / 1000;
    rows.push(["RSS after 1 M sends (keyed)", await rssSettled(emu), "841 MB"]);
    rows.push(["  time to send them", `${fmt(seconds)} s`, ""]);
    const first = await latency(emu, "/messages", 200);
    rows.push([
      "GET /messages p50 / p99, 1 M sent",
      `${fmt(first.p50, 2)} / ${fmt(first.p99, 2)} ms`,
      "1,100 ms per call",
    ]);
    const filtered = await latency(emu, "/messages?recipient=user-7", 200);
    rows.push(["  filtered by recipient (1 in 1,000)", `${fmt(filtered.p50, 2)} / ${fmt(filtered.p99, 2)} ms`, ""]);
  } finally {
    emu.child.kill();
  }

  // Paging walks.
  emu = await startChild();
  try {
    for (const n of [25_000, 50_000, 100_000]) {
      await call(emu, "POST", "/__emulator/reset");
      await sends(emu, n, 64, false);
      // Best of three walks: the machine is shared, and one walk is short enough to be hit by a neighbour.
      let ms = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        const result = await walk(emu);
        if (result.seen !== n) {
          throw new Error(`walk saw ${result.seen} of ${n} messages`);
        }
        ms = Math.min(ms, result.ms);
      }
      rows.push([
        `walk all pages of ${fmt(n)} messages (best of 3)`,
        `${fmt(ms)} ms (${fmt((ms / n) * 1000, 1)} ms per 1k)`,
        n === 25_000 ? "32k: 43,700 ms (quadratic)" : "",
      ]);
    }
  } finally {
    emu.child.kill();
  }

  // Bulk of 1 M users.
  emu = await startChild();
  try {
    const { jobId } = JSON.parse((await call(emu, "POST", "/bulk", { message: { event: "E", template: "T" } })).text);
    const chunk = 20_000;
    for (let i = 0; i < 1_000_000; i += chunk) {
      const users = Array.from({ length: chunk }, (_, j) => ({ recipient: `bulk-${i + j}` }));
      const response = await call(emu, "POST", `/bulk/${jobId}`, { users });
      if (response.status !== 204) {
        throw new Error(`POST /bulk/{job_id} answered ${response.status}: ${response.text}`);
      }
    }
    const started = performance.now();
    const run = await call(emu, "POST", `/bulk/${jobId}/run`);
    const runAnswer = performance.now() - started;
    let slowest = 0;
    let job: { status: string; enqueued: number } = { status: "PROCESSING", enqueued: 0 };
    while (job.status === "PROCESSING") {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const polled = performance.now();
      job = JSON.parse((await call(emu, "GET", `/bulk/${jobId}`)).text).job;
      slowest = Math.max(slowest, performance.now() - polled);
    }
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 204 || job.status !== "COMPLETED" || job.enqueued !== 1_000_000) {
      throw new Error(`bulk ended ${job.status} with ${job.enqueued} enqueued`);
    }
    rows.push(["bulk 1 M users: run answered in", `${fmt(runAnswer, 1)} ms`, "100k: 1,300 ms, blocking"]);
    rows.push(["  all users sent in", `${fmt(seconds, 1)} s (slowest GET meanwhile ${fmt(slowest, 1)} ms)`, ""]);
    rows.push(["  RSS after", await rssSettled(emu), ""]);
  } finally {
    emu.child.kill();
  }
  console.log(table(rows));
}
