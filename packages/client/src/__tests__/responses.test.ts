/**
 * Every way a response can go wrong, each against a real HTTP server on 127.0.0.1: a body that
 * trickles or never ends, a redirect, a call aborted mid-body.
 */
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, CourierError, createCourierClient, TimeoutError, unwrap } from "../index.js";
import { startTestServer, type TestServer } from "./helpers.js";

const KEY = "sk_test_responses";
const message = { message: { to: { user_id: "u1" }, template: "T" } };
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

/** Sends headers and one byte, then one more every `every` ms, up to `total` bytes; resolves `closed` when the client hangs up. */
function trickle(res: ServerResponse, every: number, total: number, onFirstByte?: () => void) {
  res.writeHead(200, { "content-type": "application/json" });
  res.write("[");
  onFirstByte?.();
  let sent = 1;
  const timer = setInterval(() => {
    sent++;
    res.write(sent < total ? " " : "]");
    if (sent >= total) {
      clearInterval(timer);
      res.end();
    }
  }, every);
  res.on("close", () => clearInterval(timer));
}

describe("timeout covers the whole attempt, the body included", () => {
  it("a body trickling one byte every 500 ms fails with TimeoutError, and the connection is closed", async () => {
    let closedEarly = false;
    const server = await serve((_req, res) => {
      trickle(res, 500, 40); // 20 s for the whole body
      res.on("close", () => {
        closedEarly = !res.writableFinished;
      });
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url, timeout: 1000, maxRetries: 0 });
    const error = await courier.GET("/messages").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "timeout", request: { method: "GET", path: "/messages" } });
    await expect.poll(() => closedEarly).toBe(true);
  });

  it("aborting the caller's signal mid-body fails with AbortError without waiting for the timeout", async () => {
    const controller = new AbortController();
    const server = await serve((_req, res) => trickle(res, 500, 40, () => setTimeout(() => controller.abort(), 50)));
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url, timeout: 60_000 });
    const error = await courier.GET("/messages", { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
  });

  it("a body with a Content-Length, read by fetch itself, is bounded the same way", async () => {
    const server = await serve((_req, res) => {
      res.setHeader("content-length", "40");
      trickle(res, 500, 40);
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url, timeout: 1000, maxRetries: 0 });
    const started = performance.now();
    const error = await courier.GET("/messages").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "timeout", request: { method: "GET", path: "/messages" } });
    expect(performance.now() - started).toBeLessThan(3000);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const slow = createCourierClient({ apiKey: KEY, baseUrl: server.url, timeout: 60_000 });
    const aborted = await slow.GET("/messages", { signal: controller.signal }).catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(AbortError);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("with parseAs: stream, the caller reads the body under the same timeout", async () => {
    const server = await serve((_req, res) => trickle(res, 500, 40));
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url, timeout: 1000 });
    const { data } = await courier.GET("/messages", { parseAs: "stream" });
    const error = await new Response(data as unknown as ReadableStream).text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });
});

describe("response size is capped", () => {
  it("an endless body ends in response_too_large at the default cap, and memory stays flat", async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          // Write until the socket pushes back, then wait for it to drain.
        }
      };
      res.on("drain", pump);
      pump();
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url, maxRetries: 0 });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const error = await courier.GET("/messages").catch((e: unknown) => e);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(error).toBeInstanceOf(CourierError);
    expect(error).toMatchObject({ code: "response_too_large", request: { method: "GET", path: "/messages" } });
    expect((error as Error).message).toContain(String(8 * 1024 * 1024));
    expect(peak - before).toBeLessThan(50 * 1024 * 1024);
  });

  it("a body with a Content-Length above maxResponseBytes fails too, and nothing is retried", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(2_000_000) });
      res.end(Buffer.alloc(2_000_000, 0x20));
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url, maxResponseBytes: 1_000_000 });
    const error = await courier.GET("/messages").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "response_too_large" });
    expect(server.requests).toHaveLength(1);
  });

  it("maxResponseBytes caps a chunked body too, and a body within the cap is read", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"results":[');
      res.end(`${Array.from({ length: 200 }, (_, i) => i).join(",")}]}`);
    });
    const small = createCourierClient({ apiKey: KEY, baseUrl: server.url, maxResponseBytes: 100 });
    await expect(small.GET("/messages")).rejects.toMatchObject({ code: "response_too_large" });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url });
    const { data } = await courier.GET("/messages");
    expect(data?.results).toHaveLength(200);
  });
});

describe("a body read through the guard", () => {
  it("arrives whole in every parseAs, a character split across chunks included", async () => {
    const json = JSON.stringify({ results: [{ name: "Zoë ✓ 🚀".repeat(50) }] });
    const bytes = Buffer.from(json);
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // Uneven pieces, written apart so that they arrive as separate chunks: some split a character.
      let at = 0;
      const next = () => {
        const end = Math.min(bytes.length, at + 7 + (at % 5));
        res.write(bytes.subarray(at, end));
        at = end;
        at < bytes.length ? setTimeout(next, 1) : res.end();
      };
      next();
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url });
    expect((await courier.GET("/messages")).data).toEqual(JSON.parse(json));
    expect((await courier.GET("/messages", { parseAs: "text" })).data).toBe(json);
    const buffer = (await courier.GET("/messages", { parseAs: "arrayBuffer" })).data as unknown as ArrayBuffer;
    expect(Buffer.from(buffer).equals(bytes)).toBe(true);
    const blob = (await courier.GET("/messages", { parseAs: "blob" })).data as unknown as Blob;
    expect(blob.type).toBe("application/json");
    expect(await blob.text()).toBe(json);
  });
});

describe("redirects are never followed", () => {
  it.each([302, 307])(
    "a %i to another origin is a typed error naming it; the other origin gets nothing",
    async (status) => {
      const other = await serve((_req, res) => {
        res.writeHead(202, { "content-type": "application/json" }).end('{"requestId":"stolen"}');
      });
      const server = await serve((_req, res) => {
        res.writeHead(status, { location: `${other.url}/send?token=t` }).end();
      });
      const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url });
      const result = courier.POST("/send", { body: message });
      const error = await result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CourierError);
      expect(error).toMatchObject({ code: "redirect", request: { method: "POST", path: "/send" } });
      expect((error as Error).message).toContain(`(${status} to ${other.url}/send)`);
      expect((error as Error).message).not.toContain("token=t");
      // Not retried, not followed: Authorization and Idempotency-Key never reached the other origin.
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(other.requests).toHaveLength(0);
    },
  );

  it("a same-origin redirect is refused too, for a GET as well", async () => {
    const server = await serve((req, res) => {
      res.writeHead(301, { location: `/v2${req.url}` }).end();
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url });
    await expect(
      unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id: "u" } } })),
    ).rejects.toMatchObject({ code: "redirect" });
    expect(server.requests.map((r) => r.url)).toEqual(["/profiles/u"]);
  });
});
