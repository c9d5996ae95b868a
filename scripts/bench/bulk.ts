/**
 * `pnpm bench bulk`: 1,000,000 users streamed from an NDJSON file by `courier-ts bulk send` (the CLI
 * over `sendBulk`) into the emulator, each in its own process; then the same with 30% of the bulk
 * requests faulted. Reports wall time, users/s, both processes' peak RSS, and checks in the
 * emulator's state that every user was added exactly once.
 */
import { fork, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt, table } from "./lib.ts";

const CLI = fileURLToPath(new URL("../../packages/cli/dist/cli.mjs", import.meta.url));
const EMULATOR = fileURLToPath(new URL("./bulkEmulator.ts", import.meta.url));

interface Check {
  status?: string;
  received: number;
  unique: number;
  messages: number;
  requests: number;
  replays: number;
  faults: number;
  peakRssMb: number;
}

async function writeUsers(path: string, total: number): Promise<void> {
  const out = createWriteStream(path);
  for (let n = 0; n < total; n++) {
    const line = `{"recipient":"user-${n}","profile":{"email":"user-${n}@example.com"},"data":{"n":${n}}}\n`;
    if (!out.write(line)) {
      await once(out, "drain");
    }
  }
  out.end();
  await once(out, "finish");
}

/** Peak RSS of a running process in MB, from Linux's VmHWM; undefined elsewhere. */
function peakRss(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function scenario(name: string, file: string, total: number, faultRate: number, dir: string) {
  const emulator = fork(EMULATOR, [], {
    // The emulator keeps 1M bulk users and, once the job runs, 1M messages in memory.
    execArgv: ["--import", "tsx", "--max-old-space-size=8192"],
    env: { ...process.env, BULK_FAULT_RATE: String(faultRate) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const [{ url }] = (await once(emulator, "message")) as [{ url: string }];
    const started = performance.now();
    const client = spawn(
      process.execPath,
      [
        ...[CLI, "bulk", "send", "--template", "WELCOME", "--users", file, "--base-url", url],
        ...["--batch-size", "1000", "--concurrency", "4", "--retry-delay", "5", "--poll-interval", "100"],
        ...["--resume", join(dir, `${name}.resume.json`)],
      ],
      { env: { ...process.env, COURIER_API_KEY: "bench" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let clientPeak = 0;
    const sampler = setInterval(() => {
      clientPeak = Math.max(clientPeak, peakRss(client.pid ?? 0) ?? 0);
    }, 50);
    let stdout = "";
    let stderr = "";
    client.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    client.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const [code] = (await once(client, "exit")) as [number];
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) {
      throw new Error(`courier-ts bulk send exited ${code}: ${stderr}\n${stdout}`);
    }
    const summary = JSON.parse(stdout) as { jobId: string; status: string; batches: number };
    emulator.send({ check: summary.jobId });
    const [check] = (await once(emulator, "message")) as [Check];
    if (check.received !== total || check.unique !== total || check.status !== "COMPLETED") {
      throw new Error(`${name}: expected ${total} unique users in a COMPLETED job, got ${JSON.stringify(check)}`);
    }
    return { name, seconds, clientPeak, check, summary };
  } finally {
    emulator.kill();
  }
}

export async function benchBulk(total = Number(process.env.BULK_USERS ?? 1_000_000)) {
  const dir = mkdtempSync(join(tmpdir(), "courier-ts-bench-bulk-"));
  try {
    const file = join(dir, "users.ndjson");
    await writeUsers(file, total);
    const results = [await scenario("clean", file, total, 0, dir), await scenario("faults", file, total, 0.3, dir)];
    console.log(
      `\n## Bulk: ${fmt(total)} users from NDJSON (${fmt(statSync(file).size / 1e6, 1)} MB) via courier-ts bulk send into the emulator, separate processes`,
    );
    console.log(
      table([
        [
          "run",
          "wall",
          "users/s",
          "client peak RSS",
          "emulator peak RSS",
          "in job / unique",
          "requests",
          "faulted",
          "replayed",
        ],
        ...results.map((r) => [
          r.name === "clean" ? "no faults" : "30% of bulk requests faulted",
          `${fmt(r.seconds, 1)} s`,
          fmt(total / r.seconds),
          `${fmt(r.clientPeak)} MB`,
          `${fmt(r.check.peakRssMb)} MB`,
          `${fmt(r.check.received)} / ${fmt(r.check.unique)}`,
          fmt(r.check.requests),
          fmt(r.check.faults),
          fmt(r.check.replays),
        ]),
      ]),
    );
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
