import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCourierClient, TimeoutError } from "../index.js";
import { dedicatedSignal, TimeoutSignals } from "../timeouts.js";
import { startTestServer, type TestServer } from "./helpers.js";

describe("shared timeout signals", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("attempts in one window share a signal, and each gets at least its timeout", () => {
    const timeouts = new TimeoutSignals();
    const first = timeouts.shared(1000); // window: 10 ms
    vi.advanceTimersByTime(9);
    const second = timeouts.shared(1000);
    expect(second.signal).toBe(first.signal);
    // The second attempt started at 9 ms: it must not fire before 1009 ms.
    vi.advanceTimersByTime(1000); // t = 1009
    expect(second.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1); // t = 1010 = window start + timeout + window
    expect(second.timedOut()).toBe(true);
    expect(first.timedOut()).toBe(true);
  });

  it("a new window, or another timeout value, gets its own signal", () => {
    const timeouts = new TimeoutSignals();
    const a = timeouts.shared(1000);
    const b = timeouts.shared(500);
    vi.advanceTimersByTime(10);
    const c = timeouts.shared(1000);
    expect(b.signal).not.toBe(a.signal);
    expect(c.signal).not.toBe(a.signal);
  });

  it("clears the timer of a closed window once its last attempt is done", () => {
    const timeouts = new TimeoutSignals();
    const a = timeouts.shared(1000);
    vi.advanceTimersByTime(20);
    expect(vi.getTimerCount()).toBe(1);
    a.done();
    expect(vi.getTimerCount()).toBe(0);
    // And a window left idle is cleared when the next window opens.
    const b = timeouts.shared(1000);
    b.done();
    vi.advanceTimersByTime(20);
    timeouts.shared(1000);
    expect(vi.getTimerCount()).toBe(1);
  });

  it("an infinite timeout never fires (a timer that long would otherwise fire at once)", () => {
    const timeouts = new TimeoutSignals();
    const shared = timeouts.shared(Number.POSITIVE_INFINITY);
    const dedicated = dedicatedSignal(Number.POSITIVE_INFINITY, undefined);
    vi.advanceTimersByTime(24 * 24 * 3600 * 1000);
    expect(shared.timedOut()).toBe(false);
    expect(dedicated.timedOut()).toBe(false);
    dedicated.done();
  });

  it("a dedicated signal also follows the caller's signal", () => {
    const user = new AbortController();
    const attempt = dedicatedSignal(1000, user.signal);
    user.abort(new Error("stop"));
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut()).toBe(false);
    attempt.done();
  });
});

describe("timeouts over HTTP", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it("concurrent calls that share a signal all time out, and a later call is unaffected", async () => {
    server = await startTestServer(async (req, res) => {
      if (req.url.includes("slow")) {
        await new Promise((r) => setTimeout(r, 300));
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    const courier = createCourierClient({ apiKey: "k", baseUrl: server.url, timeout: 60, maxRetries: 0 });
    const get = (id: string) => courier.GET("/profiles/{user_id}", { params: { path: { user_id: id } } });
    const started = performance.now();
    const results = await Promise.allSettled([get("slow-1"), get("slow-2"), get("fast"), get("slow-3")]);
    const elapsed = performance.now() - started;
    expect(results.map((r) => (r.status === "fulfilled" ? r.value.response.status : r.reason.name))).toEqual([
      "TimeoutError",
      "TimeoutError",
      200,
      "TimeoutError",
    ]);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    expect(elapsed).toBeGreaterThanOrEqual(59);
    expect(elapsed).toBeLessThan(290);
    const later = await get("fast");
    expect(later.response.status).toBe(200);
  });
});
