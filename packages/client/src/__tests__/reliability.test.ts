import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  CourierError,
  type CourierLogEvent,
  createCourierClient,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
  unwrap,
} from "../index.js";
import { type RecordedRequest, startTestServer, type TestServer } from "./helpers.js";

const KEY = "sk_test_very_secret_key";
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that answers each attempt with the next scripted status (the last one repeats). */
async function scripted(statuses: Array<number | "reset">, headers: Record<string, string> = {}) {
  server = await startTestServer((_req, res, index) => {
    const status = statuses[Math.min(index, statuses.length - 1)] as number | "reset";
    if (status === "reset") {
      res.socket?.destroy();
      return;
    }
    const body = status < 300 ? { requestId: `req-${index}` } : { message: `failure ${status}`, type: "api_error" };
    res.writeHead(status, { "content-type": "application/json", "x-request-id": `rid-${index}`, ...headers });
    res.end(JSON.stringify(body));
  });
  return server;
}

const fast = { retry: { initialDelayMs: 1, maxDelayMs: 5 } };
const message = { message: { to: { user_id: "u1" }, template: "T" } };

function keysOf(requests: RecordedRequest[]) {
  return requests.map((r) => r.headers["idempotency-key"]);
}

describe("retries", () => {
  it("retries 500/502/503/429/408/409 and connection resets, reusing one Idempotency-Key", async () => {
    const s = await scripted([500, 502, 503, 429, 408, 409, "reset", 202]);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, maxRetries: 7, ...fast });
    const { data, response } = await courier.POST("/send", { body: message });
    expect(response.status).toBe(202);
    expect(data?.requestId).toBe("req-7");
    expect(s.requests).toHaveLength(8);
    const keys = keysOf(s.requests);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(s.requests.map((r) => r.body)).size).toBe(1);
  });

  it.each([400, 401, 403, 404, 422])("never retries %i", async (status) => {
    const s = await scripted([status, 202]);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, ...fast });
    const { error, response } = await courier.POST("/send", { body: message });
    expect(response.status).toBe(status);
    expect(error).toMatchObject({ message: `failure ${status}` });
    expect(s.requests).toHaveLength(1);
  });

  it("gives up after maxRetries (default 2) and returns the last response", async () => {
    const s = await scripted([503]);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, ...fast });
    const { response } = await courier.POST("/send", { body: message });
    expect(response.status).toBe(503);
    expect(s.requests).toHaveLength(3);
    const once = await courier.POST("/send", { body: message, maxRetries: 0 });
    expect(once.response.status).toBe(503);
    expect(s.requests).toHaveLength(4);
  });

  it("waits as long as Retry-After asks", async () => {
    const s = await scripted([429, 202], { "retry-after-ms": "300" });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, ...fast });
    const started = performance.now();
    await courier.POST("/send", { body: message });
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(s.requests).toHaveLength(2);
  });

  it("honours x-should-retry: false", async () => {
    const s = await scripted([503, 202], { "x-should-retry": "false" });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, ...fast });
    expect((await courier.POST("/send", { body: message })).response.status).toBe(503);
    expect(s.requests).toHaveLength(1);
  });

  it("throws ConnectionError when the server is unreachable after retries", async () => {
    const courier = createCourierClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", ...fast });
    const error = await courier.POST("/send", { body: message }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).request).toEqual({ method: "POST", path: "/send" });
  });
});

describe("idempotency", () => {
  it("adds a key to every POST only, and respects the caller's key", async () => {
    const s = await scripted([200]);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url });
    await courier.POST("/send", { body: message });
    await courier.POST("/send", { body: message });
    await courier.POST("/send", { body: message, idempotencyKey: "order-42" });
    await courier.POST("/send", { body: message, headers: { "Idempotency-Key": "header-key" } });
    await courier.GET("/profiles/{user_id}", { params: { path: { user_id: "u" } } });
    const keys = keysOf(s.requests);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys.slice(2)).toEqual(["order-42", "header-key", undefined]);
  });
});

describe("timeouts and cancellation", () => {
  it("times out each attempt and retries, then throws TimeoutError", async () => {
    server = await startTestServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      res.writeHead(200).end("{}");
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url, timeout: 50, maxRetries: 1, ...fast });
    const error = await courier.POST("/send", { body: message }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(2);
  });

  it("an abort stops the call and its pending retries at once", async () => {
    const s = await scripted([503], { "retry-after": "30" });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url });
    const controller = new AbortController();
    const started = performance.now();
    const pending = courier.POST("/send", { body: message, signal: controller.signal, maxRetries: 5 });
    setTimeout(() => controller.abort(), 100);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(s.requests).toHaveLength(1);
  });

  it("an already-aborted signal sends nothing", async () => {
    const s = await scripted([200]);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url });
    const error = await courier.POST("/send", { body: message, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(s.requests).toHaveLength(0);
  });
});

describe("a signal the caller reuses", () => {
  it("keeps no listener of ours once each call is over, retries and backoffs included", async () => {
    const s = await scripted([503, 200, 503, 200, 503, 200]);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, ...fast });
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) {
      await courier.POST("/send", { body: message, signal: controller.signal });
    }
    await courier.GET("/messages", { signal: controller.signal });
    expect(s.requests).toHaveLength(7);
    // An app-wide signal lives as long as the app: a listener left per call would be a leak.
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("typed errors", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [404, NotFoundError],
    [429, RateLimitError],
    [500, InternalServerError],
  ])("unwrap() throws the class for %i, with status, type, requestId and the request", async (status, Ctor) => {
    const s = await scripted([status]);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, maxRetries: 0 });
    const error = await unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id: "u 1" } } })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Ctor);
    expect(error).toMatchObject({
      status,
      type: "api_error",
      message: `${status} failure ${status}`,
      requestId: "rid-0",
      request: { method: "GET", path: "/profiles/u%201" },
    });
  });

  it("unwrap() returns data on success", async () => {
    const s = await scripted([202]);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url });
    await expect(unwrap(courier.POST("/send", { body: message }))).resolves.toEqual({ requestId: "req-0" });
  });

  it("a missing API key is an error at creation, not a 401 later", () => {
    const saved = process.env.COURIER_API_KEY;
    delete process.env.COURIER_API_KEY;
    try {
      expect(() => createCourierClient()).toThrow(CourierError);
      expect(() => createCourierClient({ apiKey: "  " })).toThrow(/COURIER_API_KEY/);
      process.env.COURIER_API_KEY = "from-env";
      expect(() => createCourierClient()).not.toThrow();
    } finally {
      if (saved === undefined) {
        delete process.env.COURIER_API_KEY;
      } else {
        process.env.COURIER_API_KEY = saved;
      }
    }
  });
});

describe("the key never leaks", () => {
  it("is absent from errors, toJSON and log events", async () => {
    const s = await scripted([503, 401]);
    const events: CourierLogEvent[] = [];
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, ...fast, logger: (e) => events.push(e) });
    const error = await unwrap(courier.POST("/send", { body: message })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(s.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    const surfaces = [String(error), (error as Error).stack, JSON.stringify(error), JSON.stringify(events)];
    for (const text of surfaces) {
      expect(text).not.toContain(KEY);
    }
    expect(events.map((e) => [e.attempt, e.status, e.outcome])).toEqual([
      [1, 503, "retry"],
      [2, 401, "done"],
    ]);
    expect(events[0]).toMatchObject({ method: "POST", path: "/send" });
    expect(events[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });
});
