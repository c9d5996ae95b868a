/**
 * Part of `pnpm bench express`: why profile sync's thread puts itself in `SCHED_IDLE` on Linux. A process
 * on one CPU waits for a 1 ms timer 3,000 times while a worker thread beside it keeps the same CPU busy
 * 2 ms out of every 10 (as a sync's work comes in bursts), the worker at nice 0, +10 or +19, or in
 * `SCHED_IDLE`. How late the timer fires is how long a request that arrives during a burst waits. Run as
 * `wakeup.ts <class>` it is that process, and prints its figures as JSON.
 */
import { execFileSync, spawn } from "node:child_process";
import { Worker } from "node:worker_threads";
import { fmt, percentile, table } from "./lib.ts";

const WAKEUPS = 3_000;

/** The worker: puts itself in its class, then burns 2 ms of CPU every 10 ms. */
const BURNER = `
const { getPriority, setPriority } = require("node:os");
const { readlinkSync } = require("node:fs");
const { execFileSync } = require("node:child_process");
const { workerData, parentPort } = require("node:worker_threads");
if (workerData === "idle") {
  execFileSync("chrt", ["-i", "-p", "0", readlinkSync("/proc/thread-self").split("/").pop()]);
} else {
  setPriority(getPriority() + Number(workerData));
}
const burn = () => {
  const start = performance.now();
  while (performance.now() - start < 2) {}
  setTimeout(burn, 8);
};
burn();
parentPort.postMessage("ready");
`;

async function measure(kind: string): Promise<void> {
  const worker = new Worker(BURNER, { eval: true, workerData: kind });
  await new Promise((resolve, reject) => worker.once("message", resolve).once("error", reject));
  const late: number[] = [];
  let last = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      late.push(now - last - 1);
      last = now;
      if (late.length < WAKEUPS) {
        setTimeout(tick, 1);
      } else {
        resolve();
      }
    };
    setTimeout(tick, 1);
  });
  await worker.terminate();
  late.sort((x, y) => x - y);
  const [p50, p90, p99] = [50, 90, 99].map((p) => percentile(late, p));
  process.stdout.write(`${JSON.stringify({ p50, p90, p99 })}\n`);
}

function run(kind: string): Promise<{ p50: number; p90: number; p99: number }> {
  const script = new URL(import.meta.url).pathname;
  const proc = spawn("taskset", ["-c", "0", process.execPath, "--import", "tsx", script, kind], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  proc.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    proc.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`${kind}: exit ${code}`)),
    );
  });
}

/** The figures, or why they were skipped (not Linux, no `taskset` or `chrt`). */
export async function benchWakeup(): Promise<void> {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    execFileSync("chrt", ["-V"], { stdio: "ignore" });
  } catch {
    console.log("\n## Wake-up beside a busy thread: skipped (needs Linux with taskset and chrt)");
    return;
  }
  const kinds: Array<[string, string]> = [
    ["0", "nice 0 (the app's)"],
    ["10", "nice +10"],
    ["19", "nice +19"],
    ["idle", "SCHED_IDLE"],
  ];
  const rows = [];
  for (const [kind, name] of kinds) {
    const { p50, p90, p99 } = await run(kind);
    rows.push([name, fmt(p50, 3), fmt(p90, 3), fmt(p99, 3)]);
  }
  console.log(
    `\n## Wake-up beside a busy thread: a 1 ms timer, ${fmt(WAKEUPS)} times, on one CPU with a worker thread busy 2 ms out of 10, ms late`,
  );
  console.log(table([["the worker's class", "p50", "p90", "p99"], ...rows]));
}

if (process.argv[2] !== undefined && import.meta.url === new URL(process.argv[1] ?? "", "file://").href) {
  await measure(process.argv[2]);
}
