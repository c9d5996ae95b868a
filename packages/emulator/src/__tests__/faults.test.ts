/**
 * The client against the emulator's fault mode: 30% of send attempts fail with 500/502/503, 429 +
 * Retry-After, or a connection reset before or after the send is recorded. Every call must resolve,
 * and the emulator must record each message exactly once.
 */
import { createCourierClient } from "@courier-ts/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_FAULTS } from "../faults.js";
import { type Emulator, messagesOf, startEmulator } from "../index.js";
import { API_KEY } from "./helpers.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: API_KEY,
    faults: {
      rate: 0.3,
      seed: 20261124,
      retryAfterSeconds: 0,
      match: (method, path) => method === "POST" && path === "/send",
    },
  });
});
afterAll(() => emulator.close());

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe("reliability under injected faults", () => {
  it("1,000 sends with 30% of attempts faulted: 1,000 messages, 0 duplicates, 0 lost", async () => {
    const attempts: number[] = [];
    const courier = createCourierClient({
      apiKey: API_KEY,
      baseUrl: emulator.url,
      maxRetries: 10,
      retry: { initialDelayMs: 1, maxDelayMs: 10 },
      logger: (event) => {
        if (event.outcome === "done") {
          attempts.push(event.attempt);
        }
      },
    });
    const results = await pool(1000, 20, async (order) => {
      const { data, response } = await courier.POST("/send", {
        body: { message: { to: { user_id: `user-${order}` }, template: "ORDER", data: { order } } },
      });
      return { status: response.status, requestId: data?.requestId };
    });

    expect(results.filter((r) => r.status !== 202)).toEqual([]);
    const requestIds = new Set(results.map((r) => r.requestId));
    expect(requestIds.size).toBe(1000);

    const messages = [...messagesOf(emulator.state).values()];
    const orders = messages.map((m) => m.data.order as number);
    expect(messages).toHaveLength(1000);
    expect(new Set(orders).size).toBe(1000);
    expect(orders.every((o) => o >= 0 && o < 1000)).toBe(true);
    expect(messages.every((m) => requestIds.has(m.requestId))).toBe(true);

    const stats = emulator.stats();
    expect(stats.effects["POST /send"]).toBe(1000);
    for (const kind of ALL_FAULTS) {
      expect(stats.faults[kind], kind).toBeGreaterThan(0);
    }
    const faulted = Object.values(stats.faults).reduce((a, b) => a + b, 0);
    expect(faulted / stats.requests).toBeGreaterThan(0.25);
    expect(faulted / stats.requests).toBeLessThan(0.35);
    // Every reset after the send was recorded came back as a replay, not a second message.
    expect(stats.replays).toBe(stats.faults["reset-after"]);
    expect(attempts.filter((n) => n > 1).length).toBeGreaterThan(200);
    console.info(
      `fault run: ${stats.requests} attempts, ${faulted} faulted (${JSON.stringify(stats.faults)}), ${stats.replays} replays, 1000 messages`,
    );
  });

  it("control: the same faults without idempotency keys do record duplicates", async () => {
    emulator.reset();
    const courier = createCourierClient({
      apiKey: API_KEY,
      baseUrl: emulator.url,
      maxRetries: 10,
      retry: { initialDelayMs: 1, maxDelayMs: 10 },
      // Strip the key the client adds: this is what a retrying client without idempotency does.
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.delete("idempotency-key");
        return fetch(input, { ...init, headers });
      },
    });
    await pool(300, 20, (order) =>
      courier.POST("/send", {
        body: { message: { to: { user_id: `user-${order}` }, template: "ORDER", data: { order } } },
      }),
    );
    expect(messagesOf(emulator.state).size).toBe(300 + emulator.stats().faults["reset-after"]);
    expect(messagesOf(emulator.state).size).toBeGreaterThan(300);
  });
});
