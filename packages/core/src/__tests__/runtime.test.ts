import { afterEach, describe, expect, it } from "vitest";
import { createIdempotencyKey, NotFoundError, TimeoutError } from "../index.js";
import { parseRetryAfter, readEnv } from "../internal.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("createIdempotencyKey", () => {
  const crypto = globalThis.crypto as { randomUUID?: unknown };
  afterEach(() => {
    delete crypto.randomUUID;
  });

  it("is a v4 UUID, also where crypto.randomUUID is missing", () => {
    expect(createIdempotencyKey()).toMatch(UUID_V4);
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
    const keys = new Set(Array.from({ length: 1000 }, () => createIdempotencyKey()));
    expect(keys.size).toBe(1000);
    for (const key of keys) {
      expect(key).toMatch(UUID_V4);
    }
  });
});

describe("readEnv", () => {
  it("reads a variable, and a read that throws (Deno without --allow-env) is unset", () => {
    process.env.COURIER_TEST_READ_ENV = "yes";
    expect(readEnv("COURIER_TEST_READ_ENV")).toBe("yes");
    delete process.env.COURIER_TEST_READ_ENV;
    expect(readEnv("COURIER_TEST_READ_ENV")).toBeUndefined();
    const saved = process.env;
    const denied = new Proxy(saved, {
      get() {
        throw new Error("Requires env access");
      },
    });
    Object.defineProperty(process, "env", { value: denied, configurable: true, writable: true, enumerable: true });
    try {
      expect(readEnv("COURIER_API_KEY")).toBeUndefined();
    } finally {
      Object.defineProperty(process, "env", { value: saved, configurable: true, writable: true, enumerable: true });
    }
  });
});

describe("error names", () => {
  it("come from the class's kind, so a renamed (minified) class keeps them", () => {
    const Renamed = { se: class extends NotFoundError {} }.se;
    expect(Renamed.name).toBe("se");
    const error = new Renamed({ status: 404, body: { message: "gone" } });
    expect(error.name).toBe("NotFoundError");
    expect(String(error)).toBe("NotFoundError: 404 gone");
    expect(new TimeoutError("late").name).toBe("TimeoutError");
  });
});

describe("parseRetryAfter", () => {
  it("reads milliseconds, seconds and an HTTP date", () => {
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "250" }))).toBe(250);
    expect(parseRetryAfter(new Headers({ "retry-after": "3" }))).toBe(3000);
    expect(parseRetryAfter(new Headers({ "retry-after": new Date(10_000).toUTCString() }), 0)).toBe(10_000);
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }))).toBeUndefined();
  });
});
