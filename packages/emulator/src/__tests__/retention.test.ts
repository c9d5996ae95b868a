/** Bounded memory and reads that cost a page: retention caps, idempotency expiry, cursors, background bulk. */
import { afterEach, describe, expect, it } from "vitest";
import {
  automationsOf,
  bulkOf,
  type Emulator,
  type EmulatorOptions,
  idempotencyOf,
  messagesOf,
  startEmulator,
} from "../index.js";
import { manualClock } from "./helpers.js";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: EmulatorOptions = {}) {
  emulator = await startEmulator({ apiKey: "k", ...options });
  const current = emulator;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${current.url}${path}`, {
      method,
      headers: { authorization: "Bearer k", "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const sendTo = async (user: string, headers: Record<string, string> = {}) =>
    (await call("POST", "/send", { message: { to: { user_id: user }, template: "T" } }, headers)).body
      ?.requestId as string;
  return { emulator: current, call, sendTo };
}

/** Every message id GET /messages returns, following cursors. */
async function walk(call: Awaited<ReturnType<typeof start>>["call"], query = "") {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? "&" : "";
    const page = await call("GET", `/messages?${query}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(page.status).toBe(200);
    ids.push(...page.body.results.map((m: { id: string }) => m.id));
    cursor = page.body.paging.cursor;
    expect(page.body.paging.more).toBe(cursor !== null);
  } while (cursor);
  return ids;
}

describe("message retention", () => {
  it("keeps at most retention.messages, evicting the oldest with their request index", async () => {
    const { emulator, call, sendTo } = await start({ retention: { messages: 50 } });
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      ids.push(await sendTo(`u${i}`));
    }
    const log = messagesOf(emulator.state);
    expect(log.size).toBe(50);
    expect(emulator.stats().messages).toBe(50);
    expect(log.has(ids[69] as string)).toBe(false);
    expect(log.has(ids[70] as string)).toBe(true);
    expect((await call("GET", `/messages/${ids[0]}`)).status).toBe(404);
    expect((await call("PUT", `/requests/${ids[0]}/archive`)).status).toBe(404);
    expect(log.requestCount).toBe(50);
    // Newest first, every kept message once.
    expect(await walk(call)).toEqual(ids.slice(70).reverse());
  });

  it("pages newest first with a cursor that stays valid while messages arrive and filters scan lazily", async () => {
    const { call, sendTo } = await start();
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) {
      ids.push(await sendTo(i % 3 === 0 ? "alice" : "bob"));
    }
    const first = await call("GET", "/messages");
    expect(first.body.results).toHaveLength(20);
    expect(first.body.results[0].id).toBe(ids[44]);
    // New messages do not shift the next page: the cursor points into the log.
    await sendTo("carol");
    const second = await call("GET", `/messages?cursor=${encodeURIComponent(first.body.paging.cursor)}`);
    expect(second.body.results.map((m: { id: string }) => m.id)).toEqual(ids.slice(5, 25).reverse());
    expect(await walk(call, "recipient=alice")).toEqual(ids.filter((_, i) => i % 3 === 0).reverse());
    expect((await call("GET", "/messages?cursor=not-a-cursor")).status).toBe(400);
    const otherKind = Buffer.from("o:3").toString("base64url");
    expect((await call("GET", `/messages?cursor=${otherKind}`)).status).toBe(400);
  });
});

describe("idempotency records", () => {
  it("expire after idempotencyTtlMs, then the key makes a new effect", async () => {
    const clock = manualClock();
    const { emulator, sendTo } = await start({ now: clock.now, idempotencyTtlMs: 60_000 });
    const first = await sendTo("u1", { "idempotency-key": "k" });
    clock.advance(59_000);
    expect(await sendTo("u1", { "idempotency-key": "k" })).toBe(first);
    clock.advance(1_000);
    const after = await sendTo("u1", { "idempotency-key": "k" });
    expect(after).not.toBe(first);
    expect(messagesOf(emulator.state).size).toBe(2);
  });

  it("count toward retention.idempotencyKeys, oldest evicted first", async () => {
    const { emulator, sendTo } = await start({ retention: { idempotencyKeys: 3 } });
    const keyed = [];
    for (const key of ["a", "b", "c", "d"]) {
      keyed.push(await sendTo("u1", { "idempotency-key": key }));
    }
    expect(idempotencyOf(emulator.state).records.size).toBe(3);
    expect(await sendTo("u1", { "idempotency-key": "d" })).toBe(keyed[3]);
    // "a" was evicted: the same key is a new request now.
    expect(await sendTo("u1", { "idempotency-key": "a" })).not.toBe(keyed[0]);
    expect(emulator.stats().replays).toBe(1);
  });
});

describe("automation runs", () => {
  const delayed = (minutes: number) => ({
    recipient: "u1",
    automation: {
      steps: [
        { action: "delay", duration: `${minutes} minutes` },
        { action: "send", template: `after-${minutes}` },
      ],
    },
  });

  it("wake when their delay is due, earliest first, and not before", async () => {
    const clock = manualClock();
    const { emulator, call } = await start({ now: clock.now });
    const runs: string[] = [];
    for (const minutes of [3, 1, 2]) {
      runs.push((await call("POST", "/automations/invoke", delayed(minutes))).body.runId);
    }
    const state = automationsOf(emulator.state);
    expect(state.waiting.size()).toBe(3);
    clock.advance(90_000);
    await call("GET", "/automations/runs");
    expect(runs.map((id) => state.runs.get(id)?.status)).toEqual(["WAITING", "PROCESSED", "WAITING"]);
    expect(state.waiting.size()).toBe(2);
    clock.advance(120_000);
    await call("GET", "/automations/runs");
    expect(runs.map((id) => state.runs.get(id)?.status)).toEqual(["PROCESSED", "PROCESSED", "PROCESSED"]);
    expect([...messagesOf(emulator.state).values()].map((m) => m.template)).toEqual(["after-1", "after-2", "after-3"]);
  });

  it("keep at most retention.automationRuns, and a canceled run never wakes", async () => {
    const clock = manualClock();
    const { emulator, call } = await start({ now: clock.now, retention: { automationRuns: 2 } });
    const token = { ...delayed(1), automation: { ...delayed(1).automation, cancelation_token: "t" } };
    const canceled = (await call("POST", "/automations/invoke", token)).body.runId;
    await call("POST", "/automations/invoke", {
      recipient: "u1",
      automation: { steps: [{ action: "cancel", cancelation_token: "t" }] },
    });
    await call("POST", "/automations/invoke", delayed(5));
    const state = automationsOf(emulator.state);
    expect(state.runs.size).toBe(2);
    expect(state.runs.has(canceled)).toBe(false);
    clock.advance(120_000);
    await call("GET", "/automations/runs");
    expect(messagesOf(emulator.state).size).toBe(0);
  });
});

describe("GET /automations/runs", () => {
  it("pages newest first through the run log with an opaque cursor", async () => {
    const { call } = await start();
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) {
      const steps = [{ action: "update-profile", recipient_id: `u${i}`, profile: { i } }];
      ids.push((await call("POST", "/automations/invoke", { automation: { steps } })).body.runId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call("GET", `/automations/runs?limit=20${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.body.runs.map((r: { run_id: string }) => r.run_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids.reverse());
    expect((await call("GET", "/automations/runs?cursor=zzz")).status).toBe(400);
  });
});

describe("bulk", () => {
  it("answers run at once and sends users in background steps, PROCESSING then COMPLETED", async () => {
    const { emulator, call } = await start();
    const { jobId } = (await call("POST", "/bulk", { message: { event: "E", template: "T" } })).body;
    const users = Array.from({ length: 20_000 }, (_, i) => ({ recipient: `u${i}` }));
    expect((await call("POST", `/bulk/${jobId}`, { users })).status).toBe(204);
    const job = bulkOf(emulator.state).jobs.get(jobId);
    expect((await call("POST", `/bulk/${jobId}/run`)).status).toBe(204);
    // The answer came back before the 20,000 users were sent.
    expect(job?.status).toBe("PROCESSING");
    expect(job?.enqueued).toBeLessThan(20_000);
    const during = (await call("GET", `/bulk/${jobId}`)).body.job;
    expect(["PROCESSING", "COMPLETED"]).toContain(during.status);
    await emulator.idle();
    const done = (await call("GET", `/bulk/${jobId}`)).body.job;
    expect(done).toMatchObject({ status: "COMPLETED", received: 20_000, enqueued: 20_000, failures: 0 });
    expect(messagesOf(emulator.state).size).toBe(20_000);
  });

  it("ends in ERROR when every user failed, and keeps at most retention.bulkUsers users", async () => {
    const { emulator, call } = await start({ retention: { bulkUsers: 100 } });
    const create = async () => (await call("POST", "/bulk", { message: { event: "E" } })).body.jobId as string;
    const failing = await create();
    await call("POST", `/bulk/${failing}`, { users: [{}, {}] });
    await call("POST", `/bulk/${failing}/run`);
    await emulator.idle();
    expect((await call("GET", `/bulk/${failing}`)).body.job).toMatchObject({ status: "ERROR", failures: 2 });
    const a = await create();
    expect((await call("POST", `/bulk/${a}`, { users: Array(60).fill({ recipient: "x" }) })).status).toBe(204);
    const b = await create();
    expect((await call("POST", `/bulk/${b}`, { users: Array(60).fill({ recipient: "x" }) })).status).toBe(204);
    expect((await call("GET", `/bulk/${a}`)).status).toBe(404);
    expect((await call("GET", `/bulk/${failing}`)).status).toBe(404);
    expect(bulkOf(emulator.state).users).toBe(60);
    expect((await call("POST", `/bulk/${b}`, { users: Array(41).fill({ recipient: "x" }) })).status).toBe(400);
  });
});

describe("setCapped (journey runs, inbound events)", () => {
  it("keeps at most cap entries, dropping the oldest, and a re-set key moves to the newest place", async () => {
    const { setCapped } = await import("../store.js");
    const map = new Map<string, number>();
    for (let i = 0; i < 5; i++) {
      setCapped(map, `k${i}`, i, 3);
    }
    expect([...map.keys()]).toEqual(["k2", "k3", "k4"]);
    setCapped(map, "k2", 9, 3);
    setCapped(map, "k5", 5, 3);
    expect([...map.entries()]).toEqual([
      ["k4", 4],
      ["k2", 9],
      ["k5", 5],
    ]);
  });
});
