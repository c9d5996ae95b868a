import { describe, expect, it } from "vitest";
import { nextCursor, pageItems } from "../cursor.js";
import { DEFAULT_RETRY_POLICY, isRetryable, retryDelay } from "../retry.js";

describe("isRetryable", () => {
  it.each([408, 409, 429, 500, 502, 503, 504])("retries %i", (status) => {
    expect(isRetryable(new Response(null, { status }))).toBe(true);
  });
  it.each([200, 201, 204, 400, 401, 403, 404, 422])("does not retry %i", (status) => {
    expect(isRetryable(new Response(null, { status }))).toBe(false);
  });
  it("lets x-should-retry decide", () => {
    expect(isRetryable(new Response(null, { status: 400, headers: { "x-should-retry": "true" } }))).toBe(true);
    expect(isRetryable(new Response(null, { status: 503, headers: { "x-should-retry": "false" } }))).toBe(false);
  });
});

describe("retryDelay", () => {
  it("doubles from 0.5 s to an 8 s cap with up to 25% jitter", () => {
    const noJitter = () => 0;
    const fullJitter = () => 1;
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelay(n, undefined, DEFAULT_RETRY_POLICY, noJitter))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(retryDelay(0, undefined, DEFAULT_RETRY_POLICY, fullJitter)).toBe(375);
  });
  it("honours a reasonable Retry-After and ignores an unreasonable one", () => {
    expect(retryDelay(0, new Headers({ "retry-after": "2" }), DEFAULT_RETRY_POLICY)).toBe(2000);
    expect(retryDelay(0, new Headers({ "retry-after-ms": "120" }), DEFAULT_RETRY_POLICY)).toBe(120);
    const huge = retryDelay(0, new Headers({ "retry-after": "86400" }), DEFAULT_RETRY_POLICY, () => 0);
    expect(huge).toBe(500);
  });
});

describe("pagination helpers", () => {
  it("follow paging.cursor only while paging.more", () => {
    expect(nextCursor({ paging: { cursor: "c2", more: true }, results: [] })).toBe("c2");
    expect(nextCursor({ paging: { cursor: "c2", more: false }, results: [] })).toBeUndefined();
    expect(nextCursor({ paging: { more: true }, items: [] })).toBeUndefined();
  });
  it("read the tenant and automation cursor styles", () => {
    expect(nextCursor({ items: [], has_more: true, cursor: "t2" })).toBe("t2");
    expect(nextCursor({ items: [], has_more: false, cursor: "t2" })).toBeUndefined();
    expect(nextCursor({ runs: [], next_cursor: "r2" })).toBe("r2");
  });
  it("find the items whatever they are called", () => {
    expect(pageItems({ results: [1] })).toEqual([1]);
    expect(pageItems({ items: [2] })).toEqual([2]);
    expect(pageItems({ runs: [3] })).toEqual([3]);
    expect(pageItems(null)).toEqual([]);
  });
});
