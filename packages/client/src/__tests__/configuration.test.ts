/**
 * What is checked when a client is made, and what never leaks: the API key, a base URL, the
 * environment, and the platform's UUID source. Each against a real HTTP server on 127.0.0.1.
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { AuthenticationError, CourierError, createCourierClient, unwrap } from "../index.js";
import { startTestServer, type TestServer } from "./helpers.js";

const KEY = "sk_live_4f9c2b7e_do_not_leak";
const message = { message: { to: { user_id: "u1" }, template: "T" } };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler?: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

/** Every way an error can be shown: message, String(), util.inspect at any depth (cause included), JSON. */
function surfaces(error: unknown): string[] {
  return [
    (error as Error).message,
    String(error),
    inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    inspect(error),
    JSON.stringify(error),
    (error as Error).stack ?? "",
  ];
}

describe("the API key", () => {
  it.each([
    ["a newline", `${KEY}\n`],
    ["a NUL", `${KEY}\0x`],
    ["a carriage return and header", `${KEY}\r\nX-Injected: 1`],
    ["a non-ASCII character", `${KEY}é`],
  ])("with %s is a configuration error at creation, and nothing is sent", async (_label, apiKey) => {
    const server = await serve();
    let error: unknown;
    try {
      createCourierClient({ apiKey, baseUrl: server.url });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CourierError);
    expect(error).toMatchObject({ code: "invalid_api_key" });
    for (const text of surfaces(error)) {
      expect(text).not.toContain(KEY);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("appears in no error of a failed call: API error, connection, timeout, abort, redirect, size", async () => {
    const server = await serve(async (req, res) => {
      if (req.url.startsWith("/profiles/slow")) {
        await new Promise((r) => setTimeout(r, 500));
        res.writeHead(200).end("{}");
      } else if (req.url.startsWith("/profiles/moved")) {
        res.writeHead(302, { location: "http://127.0.0.1:9/elsewhere" }).end();
      } else if (req.url.startsWith("/profiles/big")) {
        res.writeHead(200, { "content-type": "application/json" }).end(`"${"x".repeat(2000)}"`);
      } else {
        res.writeHead(401, { "content-type": "application/json" });
        res.end('{"message":"Unauthorized","type":"authentication_error"}');
      }
    });
    const courier = createCourierClient({
      apiKey: KEY,
      baseUrl: server.url,
      maxRetries: 0,
      timeout: 100,
      maxResponseBytes: 1000,
    });
    const get = (user_id: string, extra: object = {}) =>
      unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id } }, ...extra })).catch((e: unknown) => e);
    const offline = createCourierClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
    const errors = [
      await get("u"),
      await get("slow"),
      await get("slow", { signal: AbortSignal.timeout(20) }),
      await get("moved"),
      await get("big"),
      await unwrap(offline.POST("/send", { body: message })).catch((e: unknown) => e),
    ];
    expect(errors.map((e) => (e as CourierError).code)).toEqual([
      "api_error",
      "timeout",
      "aborted",
      "redirect",
      "response_too_large",
      "connection_error",
    ]);
    expect(errors[0]).toBeInstanceOf(AuthenticationError);
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    for (const error of errors) {
      for (const text of surfaces(error)) {
        expect(text).not.toContain(KEY);
      }
    }
  });
});

describe("the base URL", () => {
  it.each(["/api/courier", "api.courier.com", "not a url", "ftp://files.example.com"])(
    "%j outside a browser is a configuration error at creation",
    (baseUrl) => {
      expect(() => createCourierClient({ apiKey: KEY, baseUrl })).toThrow(
        expect.objectContaining({ code: "invalid_base_url" }),
      );
    },
  );

  it("a relative one resolves against the page in a browser", async () => {
    const server = await serve();
    const page = globalThis as { document?: unknown };
    page.document = { baseURI: `${server.url}/app/page` };
    try {
      const courier = createCourierClient({ apiKey: null, baseUrl: "/api/courier/" });
      expect(courier.baseUrl).toBe(`${server.url}/api/courier`);
      await courier.POST("/send", { body: message });
    } finally {
      delete page.document;
    }
    expect(server.requests[0]?.url).toBe("/api/courier/send");
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe("the environment", () => {
  /** Makes every read of a COURIER_* variable throw, as Deno does without --allow-env. */
  function withThrowingEnv(run: () => void | Promise<void>) {
    const saved = process.env;
    const denied = new Proxy(saved, {
      get(target, name) {
        if (typeof name === "string" && name.startsWith("COURIER_")) {
          throw new Error(`Requires env access to "${name}", run again with the --allow-env flag`);
        }
        return target[name as string];
      },
    });
    Object.defineProperty(process, "env", { value: denied, configurable: true, writable: true, enumerable: true });
    const restore = () =>
      Object.defineProperty(process, "env", { value: saved, configurable: true, writable: true, enumerable: true });
    try {
      const result = run();
      return result instanceof Promise ? result.finally(restore) : restore();
    } catch (error) {
      restore();
      throw error;
    }
  }

  it("a read that throws counts as unset", async () => {
    const server = await serve();
    await withThrowingEnv(async () => {
      expect(() => createCourierClient()).toThrow(expect.objectContaining({ code: "missing_api_key" }));
      expect(createCourierClient({ apiKey: KEY }).baseUrl).toBe("https://api.courier.com");
      const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url });
      await courier.POST("/send", { body: message });
    });
    expect(server.requests).toHaveLength(1);
  });

  it("COURIER_API_KEY and COURIER_BASE_URL are read when set", async () => {
    const server = await serve();
    const saved = { key: process.env.COURIER_API_KEY, url: process.env.COURIER_BASE_URL };
    process.env.COURIER_API_KEY = KEY;
    process.env.COURIER_BASE_URL = server.url;
    try {
      await createCourierClient().GET("/messages");
    } finally {
      for (const [name, value] of [
        ["COURIER_API_KEY", saved.key],
        ["COURIER_BASE_URL", saved.url],
      ] as const) {
        if (value === undefined) {
          delete process.env[name];
        } else {
          process.env[name] = value;
        }
      }
    }
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});

describe("idempotency keys", () => {
  it("are made where crypto.randomUUID is missing (a browser page over plain HTTP)", async () => {
    const server = await serve();
    const crypto = globalThis.crypto as { randomUUID?: unknown };
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
    try {
      expect(typeof globalThis.crypto.randomUUID).toBe("undefined");
      const courier = createCourierClient({ apiKey: KEY, baseUrl: server.url });
      await courier.POST("/send", { body: message });
      await courier.POST("/send", { body: message });
    } finally {
      delete crypto.randomUUID;
    }
    expect(typeof globalThis.crypto.randomUUID).toBe("function");
    const keys = server.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toMatch(UUID_V4);
    expect(keys[1]).toMatch(UUID_V4);
    expect(keys[0]).not.toBe(keys[1]);
  });
});
