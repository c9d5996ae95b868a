import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCourierClient, paginate, unwrap } from "@courier-ts/client";
import { afterAll } from "vitest";

export const API_KEY = "cli-test-key";
/** The built binary, as users run it. */
export const CLI = fileURLToPath(new URL("../../dist/cli.mjs", import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns `courier-ts ...args`; `onStart` gets the child (to kill it). */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = { COURIER_API_KEY: API_KEY },
  onStart?: (child: ChildProcess) => void,
): Promise<CliRun> {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: build @courier-ts/cli first`);
  }
  const { COURIER_API_KEY: _key, COURIER_BASE_URL: _url, ...inherited } = process.env;
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...inherited, ...env }, stdio: "pipe" });
  onStart?.(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The JSON summary a command printed on stdout. */
export function summaryOf(run: CliRun): Record<string, unknown> {
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** A temporary directory, removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "courier-ts-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `count` users `user-<n>` as NDJSON, with `extra` lines appended. */
export function writeNdjson(path: string, count: number, extra: string[] = []): string {
  const lines = Array.from({ length: count }, (_, n) =>
    JSON.stringify({ recipient: `user-${n}`, profile: { email: `user-${n}@example.com` }, data: { n } }),
  );
  writeFileSync(path, `${[...lines, ...extra].join("\n")}\n`);
  return path;
}

/** Every user of a job as the API lists it (`GET /bulk/{job_id}/users`, all pages). */
export async function jobUsers(baseUrl: string, jobId: string) {
  const courier = createCourierClient({ apiKey: API_KEY, baseUrl });
  const users = [];
  for await (const user of paginate(courier, "/bulk/{job_id}/users", { params: { path: { job_id: jobId } } })) {
    users.push(user);
  }
  return users;
}

/** Asserts each of `user-0` .. `user-<count - 1>` is in the job exactly once, and nobody else. */
export function recipientsOf(users: Array<{ recipient?: string | null }>): { total: number; unique: number } {
  return { total: users.length, unique: new Set(users.map((u) => u.recipient)).size };
}

/** A job's status and counters as the API reports them (`GET /bulk/{job_id}`). */
export async function getJob(baseUrl: string, jobId: string) {
  const courier = createCourierClient({ apiKey: API_KEY, baseUrl });
  return (await unwrap(courier.GET("/bulk/{job_id}", { params: { path: { job_id: jobId } } }))).job;
}
