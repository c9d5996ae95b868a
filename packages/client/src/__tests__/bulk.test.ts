/**
 * sendBulk against a real HTTP server that plays Courier's bulk API with scripted job statuses (the
 * emulator-level tests, faults and a killed process included, live in @courier-ts/cli).
 */
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { utf8Length } from "../bulk/batches.js";
import { BulkSendError, type BulkUser, sendBulk } from "../bulk/index.js";
import { CourierError, createCourierClient } from "../index.js";
import { type RecordedRequest, startTestServer, type TestServer } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface FakeBulk {
  /** Statuses answered by successive GET /bulk/job-1 after the run (the last repeats). */
  statuses?: string[];
  /** Answer the nth (0-based) POST /bulk/job-1 with this status instead of 204. */
  failBatch?: Record<number, number>;
  failures?: number;
  /** Answer POST /bulk/job-1/run with 409; `ran` says whether the job ran anyway (e.g. in an earlier process). */
  runConflict?: { ran: boolean };
}

/** Courier's bulk API for one job, `job-1`, recording the users it was sent. */
async function fakeBulk(script: FakeBulk = {}) {
  const added: BulkUser[] = [];
  let batchCalls = 0;
  let polls = 0;
  let ran = false;
  server = await startTestServer((req: RecordedRequest, res) => {
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(body === undefined ? "" : JSON.stringify(body));
    };
    const [path, query] = req.url.split("?");
    if (req.method === "POST" && path === "/bulk") {
      reply(201, { jobId: "job-1" });
    } else if (req.method === "POST" && path === "/bulk/job-1") {
      const status = script.failBatch?.[batchCalls++];
      if (status) {
        reply(status, { message: "scripted", type: "api_error" });
        return;
      }
      added.push(...(JSON.parse(req.body) as { users: BulkUser[] }).users);
      reply(204);
    } else if (req.method === "POST" && path === "/bulk/job-1/run") {
      if (script.runConflict) {
        ran = script.runConflict.ran;
        reply(409, { message: "The job has already been run", type: "invalid_request_error" });
        return;
      }
      ran = true;
      reply(204);
    } else if (req.method === "GET" && path === "/bulk/job-1") {
      const statuses = script.statuses ?? ["COMPLETED"];
      const status = ran ? (statuses[Math.min(polls++, statuses.length - 1)] as string) : "CREATED";
      const failures = status === "COMPLETED" ? (script.failures ?? 0) : 0;
      reply(200, {
        job: {
          definition: { event: "E" },
          received: added.length,
          enqueued: added.length - failures,
          failures,
          status,
        },
      });
    } else if (req.method === "GET" && path === "/bulk/job-1/users") {
      // Pages of 10; the users at even positions below 2 * failures failed.
      const offset = Number(new URLSearchParams(query).get("cursor") ?? 0);
      const items = added.slice(offset, offset + 10).map((u, i) => ({
        ...u,
        status: (offset + i) % 2 === 0 && offset + i < 2 * (script.failures ?? 0) ? "ERROR" : "ENQUEUED",
      }));
      const more = offset + 10 < added.length;
      reply(200, { items, paging: { cursor: more ? String(offset + 10) : null, more } });
    } else {
      reply(404, { message: "no route" });
    }
  });
  const courier = createCourierClient({
    apiKey: "k",
    baseUrl: server.url,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });
  const batches = () => server?.requests.filter((r) => r.method === "POST" && r.url === "/bulk/job-1") ?? [];
  return { courier, added, batches, requests: () => server?.requests ?? [] };
}

const message = { event: "WELCOME" };
const usersOf = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ recipient: `user-${from + i}`, data: { n: from + i } }));

describe("sendBulk", () => {
  it("creates, adds in batches of at most maxBatchUsers, runs; every user once and in order", async () => {
    const fake = await fakeBulk();
    const checkpoints: unknown[] = [];
    const result = await sendBulk(fake.courier, {
      message,
      users: usersOf(2_500),
      maxBatchUsers: 1000,
      checkpoint: (c) => {
        checkpoints.push(c);
      },
    });
    expect(result).toMatchObject({ jobId: "job-1", usersAdded: 2_500, batches: 3, failures: [] });
    expect(result.job).toBeUndefined();
    expect(
      fake
        .batches()
        .map((r) => (JSON.parse(r.body) as { users: unknown[] }).users.length)
        .sort(),
    ).toEqual([1000, 1000, 500]);
    expect(fake.added.map((u) => u.recipient)).toHaveLength(2_500);
    expect(new Set(fake.added.map((u) => u.recipient)).size).toBe(2_500);
    expect(checkpoints[0]).toEqual({ jobId: "job-1", usersAdded: 0 });
    expect(checkpoints.at(-1)).toEqual({ jobId: "job-1", usersAdded: 2_500 });
    expect(
      fake
        .requests()
        .map((r) => `${r.method} ${r.url}`)
        .at(-1),
    ).toBe("POST /bulk/job-1/run");
    expect(result.bytesSent).toBe(fake.batches().reduce((n, r) => n + Buffer.byteLength(r.body), 0));
  });

  it("keeps every request body under maxBatchBytes, multi-byte characters counted as UTF-8", async () => {
    const fake = await fakeBulk();
    const users = Array.from({ length: 300 }, (_, i) => ({
      recipient: `用户-${i}`,
      data: { note: "é🙂".repeat(i % 7) },
    }));
    await sendBulk(fake.courier, { message, users, maxBatchBytes: 2_000 });
    const sizes = fake.batches().map((r) => Buffer.byteLength(r.body));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2_000);
    expect(Math.max(...sizes)).toBeGreaterThan(1_800);
    // Batches run concurrently, so they may arrive out of order.
    const key = (u: BulkUser) => u.recipient ?? "";
    expect([...fake.added].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [...users].sort((a, b) => key(a).localeCompare(key(b))),
    );
  });

  it("counts UTF-8 bytes exactly", () => {
    for (const text of ["", "abc", "é", "€", "🙂", "a🙂b€é", JSON.stringify("\ud800"), "用户".repeat(50)]) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text));
    }
  });

  it("derives each batch's Idempotency-Key from the job and its place in the source, the same on a retry", async () => {
    const fake = await fakeBulk({ failBatch: { 0: 503 } });
    await sendBulk(fake.courier, { message, users: usersOf(250), maxBatchUsers: 100, concurrency: 1 });
    const keys = fake.batches().map((r) => r.headers["idempotency-key"]);
    expect(keys).toEqual(["job-1:0+100", "job-1:0+100", "job-1:100+100", "job-1:200+50"]);
    expect(fake.added).toHaveLength(250);
  });

  it("reads sync iterables, async generators and web ReadableStreams", async () => {
    const fake = await fakeBulk();
    async function* generate() {
      yield* usersOf(5);
    }
    const stream = new ReadableStream<BulkUser>({
      start(controller) {
        for (const u of usersOf(5, 10)) {
          controller.enqueue(u);
        }
        controller.close();
      },
    });
    await sendBulk(fake.courier, { message, users: new Set(usersOf(5, 20)) });
    await sendBulk(fake.courier, { message, users: generate() });
    await sendBulk(fake.courier, { message, users: stream });
    expect(fake.added.map((u) => u.data)).toEqual(
      [20, 21, 22, 23, 24, 0, 1, 2, 3, 4, 10, 11, 12, 13, 14].map((n) => ({ n })),
    );
  });

  it("reads the source only as batches go out (no array of all users)", async () => {
    const fake = await fakeBulk();
    let read = 0;
    let maxAhead = 0;
    function* lazy() {
      for (let i = 0; i < 5_000; i++) {
        read++;
        maxAhead = Math.max(maxAhead, read - fake.added.length);
        yield { recipient: `user-${i}` };
      }
    }
    await sendBulk(fake.courier, { message, users: lazy(), maxBatchUsers: 100, concurrency: 2 });
    expect(fake.added).toHaveLength(5_000);
    // At most the batches in flight, the one being filled and the one waiting for a slot.
    expect(maxAhead).toBeLessThanOrEqual(4 * 100 + 1);
  });

  it("stops between batches on abort with a checkpoint, and resumes from it: every user once", async () => {
    const fake = await fakeBulk();
    const controller = new AbortController();
    let saved: { jobId: string; usersAdded: number } | undefined;
    const error = await sendBulk(fake.courier, {
      message,
      users: usersOf(1_000),
      maxBatchUsers: 100,
      concurrency: 2,
      signal: controller.signal,
      checkpoint: (c) => {
        saved = c;
      },
      onProgress: (p) => {
        if (p.usersAdded >= 300) {
          controller.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkSendError);
    expect(error).toBeInstanceOf(CourierError);
    expect(error).toMatchObject({ code: "aborted", checkpoint: saved });
    expect(saved?.usersAdded).toBeGreaterThanOrEqual(300);
    expect(saved?.usersAdded).toBeLessThan(1_000);
    expect(fake.added.length).toBe(saved?.usersAdded);
    expect(fake.requests().some((r) => r.url.endsWith("/run"))).toBe(false);

    const result = await sendBulk(fake.courier, { message, users: usersOf(1_000), maxBatchUsers: 100, resume: saved });
    expect(result.usersAdded).toBe(1_000);
    expect(fake.added.map((u) => u.recipient).sort()).toEqual(
      usersOf(1_000)
        .map((u) => u.recipient)
        .sort(),
    );
    expect(fake.requests().filter((r) => r.method === "POST" && r.url === "/bulk")).toHaveLength(1);
  });

  it("a batch refused after retries rejects with bulk_failed and the checkpoint of the users before it", async () => {
    const fake = await fakeBulk({ failBatch: { 2: 400 } });
    const error = await sendBulk(fake.courier, {
      message,
      users: usersOf(500),
      maxBatchUsers: 100,
      concurrency: 1,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "bulk_failed", checkpoint: { jobId: "job-1", usersAdded: 200 } });
    expect((error as BulkSendError).cause).toMatchObject({ status: 400 });
  });

  it("refuses a user larger than maxBatchBytes, and anything that is not an object", async () => {
    const fake = await fakeBulk();
    const big = await sendBulk(fake.courier, {
      message,
      users: [...usersOf(3), { recipient: "x".repeat(500) }],
      maxBatchBytes: 300,
    }).catch((e: unknown) => e);
    expect(big).toMatchObject({ code: "invalid_user", message: expect.stringContaining("User 3 ") });
    const notObject = await sendBulk(fake.courier, { message, users: [null as unknown as BulkUser] }).catch(
      (e: unknown) => e,
    );
    expect(notObject).toMatchObject({ code: "invalid_user", checkpoint: { jobId: "job-1", usersAdded: 0 } });
    await expect(sendBulk(fake.courier, { message, users: [], concurrency: 0 })).rejects.toThrow(TypeError);
  });

  it("waits through CREATED and PROCESSING until COMPLETED, then pages the failed users", async () => {
    const fake = await fakeBulk({ statuses: ["PROCESSING", "PROCESSING", "COMPLETED"], failures: 7 });
    const phases: string[] = [];
    const result = await sendBulk(fake.courier, {
      message,
      users: usersOf(40),
      wait: { pollIntervalMs: 1, maxFailures: 5 },
      onProgress: (p) => phases.push(p.job ? `${p.phase}:${p.job.status}` : p.phase),
    });
    expect(result.job).toMatchObject({ status: "COMPLETED", received: 40, failures: 7 });
    expect(result.failures.map((u) => u.recipient)).toEqual(["user-0", "user-2", "user-4", "user-6", "user-8"]);
    expect(phases.filter((p) => p !== "adding")).toEqual([
      "running",
      "waiting:PROCESSING",
      "waiting:PROCESSING",
      "waiting:COMPLETED",
      "done:COMPLETED",
    ]);
  });

  it("polls with the caller's signal without leaving listeners on it (no MaxListenersExceededWarning)", async () => {
    const fake = await fakeBulk({ statuses: [...Array(15).fill("PROCESSING"), "COMPLETED"], failures: 3 });
    const controller = new AbortController();
    const result = await sendBulk(fake.courier, {
      message,
      users: usersOf(5),
      signal: controller.signal,
      wait: { pollIntervalMs: 1 },
    });
    expect(result.job).toMatchObject({ status: "COMPLETED" });
    expect(fake.requests().filter((r) => r.method === "GET" && r.url === "/bulk/job-1").length).toBeGreaterThan(15);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("gives up waiting after timeoutMs with wait_timeout, and an abort stops the wait at once", async () => {
    const fake = await fakeBulk({ statuses: ["PROCESSING"] });
    const timedOut = await sendBulk(fake.courier, {
      message,
      users: usersOf(3),
      wait: { pollIntervalMs: 5, timeoutMs: 50 },
    }).catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ code: "wait_timeout", checkpoint: { jobId: "job-1", usersAdded: 3 } });

    const controller = new AbortController();
    const aborted = sendBulk(fake.courier, {
      message,
      users: [],
      resume: { jobId: "job-1", usersAdded: 3 },
      signal: controller.signal,
      wait: { pollIntervalMs: 60_000 },
      onProgress: (p) => {
        if (p.phase === "waiting") {
          setTimeout(() => controller.abort(), 1);
        }
      },
    });
    await expect(aborted).rejects.toMatchObject({ code: "aborted" });
  });

  it("a 409 on run is fine when the job did run, and an error when it did not", async () => {
    const ranBefore = await fakeBulk({ runConflict: { ran: true } });
    const result = await sendBulk(ranBefore.courier, { message, users: usersOf(5), wait: { pollIntervalMs: 1 } });
    expect(result.job?.status).toBe("COMPLETED");
    await server?.close();

    const neverRan = await fakeBulk({ runConflict: { ran: false } });
    const error = await sendBulk(neverRan.courier, { message, users: usersOf(5), maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "bulk_failed", checkpoint: { jobId: "job-1", usersAdded: 5 } });
    expect((error as BulkSendError).cause).toMatchObject({ status: 409 });
  });

  it("resuming a job that already ran adds nobody and does not run it again", async () => {
    const fake = await fakeBulk();
    await sendBulk(fake.courier, { message, users: usersOf(10) });
    const before = fake.requests().length;
    const result = await sendBulk(fake.courier, {
      message,
      users: usersOf(10),
      resume: { jobId: "job-1", usersAdded: 4 },
      wait: { pollIntervalMs: 1 },
    });
    expect(result.job?.status).toBe("COMPLETED");
    expect(
      fake
        .requests()
        .slice(before)
        .map((r) => `${r.method} ${r.url}`),
    ).toEqual(["GET /bulk/job-1", "GET /bulk/job-1"]);
    expect(fake.added).toHaveLength(10);
  });
});
