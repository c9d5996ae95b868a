import { afterEach, describe, expect, it } from "vitest";
import {
  ConnectionError,
  createCourierClient,
  type Middleware,
  type MiddlewareContext,
  NotFoundError,
  unwrap,
} from "../index.js";
import { startTestServer, type TestServer } from "./helpers.js";

const KEY = "sk_test_transport";
const fast = { retry: { initialDelayMs: 1, maxDelayMs: 5 } };
const message = { message: { to: { user_id: "u1" }, template: "T" } };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers each request with the next status of `statuses` (the last repeats) and a JSON body. */
async function statuses(...list: number[]) {
  server = await startTestServer((req, res, index) => {
    const status = list[Math.min(index, list.length - 1)] as number;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ attempt: index, seen: req.headers["x-trace"] ?? null }));
  });
  return server;
}

describe("middleware", () => {
  it("runs onRequest once per call before the retries, and onResponse once with the final response", async () => {
    const s = await statuses(503, 200);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, ...fast });
    const seen: string[] = [];
    courier.use({
      onRequest({ request, schemaPath }) {
        seen.push(`request ${request.method} ${schemaPath}`);
        request.headers.set("x-trace", "t-1");
      },
      onResponse({ response }) {
        seen.push(`response ${response.status}`);
      },
    });
    const { data } = await courier.POST("/send", { body: message });
    expect(seen).toEqual(["request POST /send", "response 200"]);
    expect(s.requests.map((r) => r.headers["x-trace"])).toEqual(["t-1", "t-1"]);
    // The retry resent the same body and the same idempotency key.
    expect(s.requests[1]?.body).toBe(s.requests[0]?.body);
    expect(s.requests[1]?.headers["idempotency-key"]).toBe(s.requests[0]?.headers["idempotency-key"]);
    expect(data).toEqual({ attempt: 1, seen: "t-1" });
  });

  it("runs onRequest in order and onResponse in reverse, and a replaced request or response is used", async () => {
    const s = await statuses(200);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url });
    const order: string[] = [];
    const outer: Middleware = {
      onRequest: ({ request }) => {
        order.push("outer request");
        return new Request(`${s.url}/profiles/replaced`, { method: "POST", headers: request.headers, body: "{}" });
      },
      onResponse: () => {
        order.push("outer response");
      },
    };
    const inner: Middleware = {
      onRequest: () => {
        order.push("inner request");
      },
      onResponse: ({ response }) => {
        order.push("inner response");
        return new Response(JSON.stringify({ wrapped: response.status }), { status: 200 });
      },
    };
    courier.use(outer, inner);
    const { data } = await courier.POST("/send", { body: message });
    expect(order).toEqual(["outer request", "inner request", "inner response", "outer response"]);
    expect(s.requests[0]?.url).toBe("/profiles/replaced");
    expect(s.requests[0]?.body).toBe("{}");
    expect(data).toEqual({ wrapped: 200 });

    courier.eject(outer, inner);
    await courier.POST("/send", { body: message });
    expect(s.requests[1]?.url).toBe("/send");
    expect(order).toHaveLength(4);
  });

  it("an onRequest Response answers the call without sending anything", async () => {
    const s = await statuses(200);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url });
    courier.use({ onRequest: () => new Response(JSON.stringify({ message: "cached" }), { status: 404 }) });
    const error = await unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id: "u" } } })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(s.requests).toHaveLength(0);
  });

  it("onError sees the typed failure once, after the retries, and may recover", async () => {
    const courier = createCourierClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", maxRetries: 1, ...fast });
    const errors: unknown[] = [];
    const contexts: MiddlewareContext[] = [];
    courier.use({
      onError(context) {
        errors.push(context.error);
        contexts.push(context);
        return new Response(JSON.stringify({ requestId: "offline" }), { status: 202 });
      },
    });
    const { data } = await courier.POST("/send", { body: message });
    expect(data).toEqual({ requestId: "offline" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ConnectionError);
    expect(contexts[0]?.schemaPath).toBe("/send");
  });

  it("refuses something that is not middleware", () => {
    const courier = createCourierClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9" });
    expect(() => courier.use({} as Middleware)).toThrow(/onRequest/);
  });
});

describe("requests", () => {
  it("serializes query arrays, dates and header params, and lets a call remove a client header", async () => {
    const s = await statuses(200);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: s.url, headers: { "X-Client": "c" } });
    await courier.GET("/messages", {
      params: { query: { status: ["SENT", "DELIVERED"], recipient: "a b&c", cursor: undefined } },
      headers: { "x-client": null, "X-Call": "1" },
    });
    const request = s.requests[0];
    expect(request?.url).toBe("/messages?status=SENT&status=DELIVERED&recipient=a%20b%26c");
    expect(request?.headers["x-client"]).toBeUndefined();
    expect(request?.headers["x-call"]).toBe("1");
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.headers["content-type"]).toBeUndefined();
  });

  it("sends JSON with its content type, and a per-call baseUrl", async () => {
    const s = await statuses(202);
    const courier = createCourierClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9" });
    await courier.POST("/send", { body: message, baseUrl: `${s.url}/` });
    expect(s.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(s.requests[0]?.body ?? "")).toEqual(message);
  });
});

describe("responses", () => {
  it("reads 204 as no data, text with parseAs, and a non-JSON error body as text", async () => {
    server = await startTestServer((req, res) => {
      if (req.url.startsWith("/profiles/empty")) {
        res.writeHead(204).end();
      } else if (req.url.startsWith("/profiles/text")) {
        res.writeHead(200, { "content-type": "text/plain" }).end("plain words");
      } else {
        res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
      }
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url, maxRetries: 0 });
    const empty = await courier.DELETE("/profiles/{user_id}", { params: { path: { user_id: "empty" } } });
    expect(empty.data).toBeUndefined();
    expect(empty.response.status).toBe(204);
    const text = await courier.GET("/profiles/{user_id}", { params: { path: { user_id: "text" } }, parseAs: "text" });
    expect(text.data).toBe("plain words");
    const failed = await courier.GET("/profiles/{user_id}", { params: { path: { user_id: "down" } } });
    expect(failed.error).toBe("<h1>Bad gateway</h1>");
    const error = await unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id: "down" } } })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ status: 502, message: "502 <h1>Bad gateway</h1>" });
  });

  it("a body cut off mid-read is a ConnectionError, not a raw stream error", async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url });
    const error = await courier.GET("/profiles/{user_id}", { params: { path: { user_id: "u" } } }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ request: { method: "GET", path: "/profiles/u" } });
  });

  it("a 2xx body that is not JSON rejects with openapi-fetch's SyntaxError", async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end("{not json");
    });
    const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url });
    const error = await courier.GET("/profiles/{user_id}", { params: { path: { user_id: "u" } } }).catch((e) => e);
    expect(error).toBeInstanceOf(SyntaxError);
  });
});
