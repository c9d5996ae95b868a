/**
 * Bulk sends that must add every user exactly once although requests fail (the emulator's fault mode)
 * or the process is killed mid-job and started again from its resume file.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createCourierClient } from "@courier-ts/client";
import { type BulkCheckpoint, type BulkUser, sendBulk } from "@courier-ts/client/bulk";
import { ALL_FAULTS, type Emulator, startEmulator } from "@courier-ts/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { API_KEY, getJob, jobUsers, recipientsOf, runCli, summaryOf, tempDir, writeNdjson } from "./helpers.js";

const dir = tempDir();
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const isBatch = (method: string, path: string) => method === "POST" && /^\/bulk\/[^/]+$/.test(path);

describe("kill and resume", () => {
  it("a process killed mid-job (SIGKILL) resumes from its file: every user added exactly once", async () => {
    const total = 3_000;
    const file = writeNdjson(join(dir, "kill.ndjson"), total);
    const resumeFile = join(dir, "kill.resume.json");
    let child: ChildProcess | undefined;
    let batches = 0;
    // The 8th batch request kills the CLI while the emulator records that batch, and its answer is
    // never sent: the batch is in the job, but the checkpoint cannot include it.
    emulator = await startEmulator({
      apiKey: API_KEY,
      faults: {
        rate: 1,
        kinds: ["reset-after"],
        match: (method, path) => {
          if (isBatch(method, path) && ++batches === 8) {
            child?.kill("SIGKILL");
            return true;
          }
          return false;
        },
      },
    });
    const args = ["bulk", "send", "--template", "WELCOME", "--users", file, "--resume", resumeFile];
    const common = ["--base-url", emulator.url, "--batch-size", "100", "--concurrency", "3", "--poll-interval", "20"];

    const killed = await runCli([...args, ...common], undefined, (c) => {
      child = c;
    });
    expect(killed.signal).toBe("SIGKILL");
    const saved = JSON.parse(readFileSync(resumeFile, "utf8")) as BulkCheckpoint;
    expect(saved.usersAdded).toBeGreaterThanOrEqual(0);
    expect(saved.usersAdded).toBeLessThanOrEqual(700);
    expect(saved.usersAdded % 100).toBe(0);
    expect(saved).toMatchObject({ template: "WELCOME", users: file, batchSize: 100 });
    emulator.setFaults(undefined);
    const job = await getJob(emulator.url, saved.jobId);
    expect(job.status).toBe("CREATED");
    // More users are in the job than the checkpoint says: those the dead process never heard about.
    expect(job.received).toBeGreaterThan(saved.usersAdded);

    const resumed = await runCli([...args, ...common]);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(summaryOf(resumed)).toMatchObject({
      resumed: true,
      jobId: saved.jobId,
      status: "COMPLETED",
      usersAdded: total,
      received: total,
      enqueued: total,
    });
    expect(recipientsOf(await jobUsers(emulator.url, saved.jobId))).toEqual({ total, unique: total });
    // The batches sent again after the restart were answered from the idempotency store.
    expect(emulator.stats().replays).toBeGreaterThan(0);
    expect(emulator.stats().effects["POST /bulk"]).toBe(1);

    // Running the finished command again changes nothing.
    const again = await runCli([...args, ...common]);
    expect(again.code).toBe(0);
    expect(summaryOf(again)).toMatchObject({ status: "COMPLETED", received: total, batches: 0 });
  });
});

describe("Ctrl-C", () => {
  it("SIGINT stops after the batches in flight, exits 130 with the resume file saved; the rerun completes", async () => {
    const total = 2_000;
    const file = writeNdjson(join(dir, "sigint.ndjson"), total);
    const resumeFile = join(dir, "sigint.resume.json");
    let child: ChildProcess | undefined;
    let batches = 0;
    emulator = await startEmulator({
      apiKey: API_KEY,
      faults: {
        rate: 1,
        match: (method, path) => {
          if (isBatch(method, path) && ++batches === 3) {
            child?.kill("SIGINT");
          }
          return false;
        },
      },
    });
    const args = [
      ...["bulk", "send", "--template", "WELCOME", "--users", file, "--resume", resumeFile],
      ...["--base-url", emulator.url, "--batch-size", "100", "--concurrency", "2", "--poll-interval", "20"],
    ];
    const stopped = await runCli(args, undefined, (c) => {
      child = c;
    });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain("Stopping after the batches in flight");
    expect(stopped.stderr).toContain(`Progress is saved in ${resumeFile}`);
    const summary = summaryOf(stopped);
    expect(summary).toMatchObject({ error: { code: "aborted" }, resumeFile });
    const saved = JSON.parse(readFileSync(resumeFile, "utf8")) as BulkCheckpoint;
    expect(saved).toMatchObject({ jobId: summary.jobId, usersAdded: summary.usersAdded });
    // The batches in flight finished: everything the job holds is in the checkpoint.
    expect((await getJob(emulator.url, saved.jobId)).received).toBe(saved.usersAdded);
    expect(saved.usersAdded).toBeLessThan(total);

    const resumed = await runCli(args);
    expect(resumed.code).toBe(0);
    expect(summaryOf(resumed)).toMatchObject({ resumed: true, status: "COMPLETED", received: total });
    expect(recipientsOf(await jobUsers(emulator.url, saved.jobId))).toEqual({ total, unique: total });
  });
});

describe("30% of requests faulted", () => {
  const faults = {
    rate: 0.3,
    seed: 20261130,
    retryAfterSeconds: 0,
    match: (_m: string, p: string) => p.startsWith("/bulk"),
  };

  it("the CLI adds every user exactly once through 500/502/503/429 and resets before and after recording", async () => {
    emulator = await startEmulator({ apiKey: API_KEY, faults });
    const total = 4_000;
    const file = writeNdjson(join(dir, "faults.ndjson"), total);
    const run = await runCli([
      ...["bulk", "send", "--template", "WELCOME", "--users", file, "--base-url", emulator.url],
      ...["--batch-size", "50", "--retry-delay", "1", "--poll-interval", "10"],
    ]);
    expect(run.code).toBe(0);
    const summary = summaryOf(run);
    expect(summary).toMatchObject({ status: "COMPLETED", usersAdded: total, received: total, enqueued: total });
    const stats = emulator.stats();
    for (const kind of ALL_FAULTS) {
      expect(stats.faults[kind], kind).toBeGreaterThan(0);
    }
    expect(stats.replays).toBeGreaterThan(0);
    emulator.setFaults(undefined);
    expect(recipientsOf(await jobUsers(emulator.url, summary.jobId as string))).toEqual({ total, unique: total });
  });

  it("sendBulk in-process, with resume after an abort, under the same faults", async () => {
    emulator = await startEmulator({ apiKey: API_KEY, faults });
    const courier = createCourierClient({
      apiKey: API_KEY,
      baseUrl: emulator.url,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
    });
    const total = 5_000;
    function* users(): Generator<BulkUser> {
      for (let n = 0; n < total; n++) {
        yield { recipient: `user-${n}`, profile: { email: `user-${n}@example.com` } };
      }
    }
    const controller = new AbortController();
    let saved: BulkCheckpoint | undefined;
    const options = { message: { event: "WELCOME" }, maxBatchUsers: 100, concurrency: 4 };
    const stopped = await sendBulk(courier, {
      ...options,
      users: users(),
      signal: controller.signal,
      checkpoint: (c) => {
        saved = c;
      },
      onProgress: (p) => {
        if (p.usersAdded >= 2_000) {
          controller.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect(stopped).toMatchObject({ code: "aborted", checkpoint: saved });

    const result = await sendBulk(courier, { ...options, users: users(), resume: saved, wait: { pollIntervalMs: 10 } });
    expect(result.job).toMatchObject({ status: "COMPLETED", received: total, enqueued: total, failures: 0 });
    emulator.setFaults(undefined);
    expect(recipientsOf(await jobUsers(emulator.url, result.jobId))).toEqual({ total, unique: total });
  });
});
