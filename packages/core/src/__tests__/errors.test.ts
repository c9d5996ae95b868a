import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  CourierApiError,
  CourierError,
  InternalServerError,
  isCourierApiError,
  isCourierError,
  isNotFoundError,
  isTimeoutError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
} from "../index.js";

describe("CourierApiError.from", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, CourierApiError],
  ])("maps %i to %s", (status, Ctor) => {
    const response = new Response(null, { status, headers: { "x-request-id": "req-1" } });
    const error = CourierApiError.from(response, { message: "Nope", type: "invalid_request_error" });
    expect(error).toBeInstanceOf(Ctor);
    expect(error).toBeInstanceOf(CourierError);
    expect(error.status).toBe(status);
    expect(error.type).toBe("invalid_request_error");
    expect(error.message).toBe(`${status} Nope`);
    expect(error.requestId).toBe("req-1");
    expect(error.name).toBe(Ctor.name);
  });

  it("reads Retry-After in seconds and as a date", () => {
    const seconds = CourierApiError.from(new Response(null, { status: 429, headers: { "retry-after": "3" } }), {});
    expect(seconds.retryAfter).toBe(3000);
    const date = new Date(Date.now() + 10_000).toUTCString();
    const dated = CourierApiError.from(new Response(null, { status: 429, headers: { "retry-after": date } }), {});
    expect(dated.retryAfter).toBeGreaterThan(8000);
    expect(dated.retryAfter).toBeLessThanOrEqual(10_000);
    const ms = CourierApiError.from(new Response(null, { status: 429, headers: { "retry-after-ms": "250" } }), {});
    expect(ms.retryAfter).toBe(250);
  });

  it("never keeps credential headers, and toJSON holds no headers or key", () => {
    const response = new Response(null, {
      status: 401,
      headers: { "set-cookie": "session=secret", authorization: "Bearer sk_live_secret", "x-request-id": "r" },
    });
    const error = CourierApiError.from(response, { message: "Unauthorized", type: "authentication_error" });
    expect(error.headers["set-cookie"]).toBeUndefined();
    expect(error.headers.authorization).toBeUndefined();
    const json = JSON.stringify(error);
    expect(json).not.toContain("secret");
    expect(JSON.parse(json)).toMatchObject({ name: "AuthenticationError", status: 401, type: "authentication_error" });
  });

  it("uses a text body as the message when it is not JSON", () => {
    const error = CourierApiError.from(new Response(null, { status: 502 }), "Bad Gateway");
    expect(error.message).toBe("502 Bad Gateway");
    expect(error.type).toBeUndefined();
  });
});

describe("type guards", () => {
  it("recognise errors from another copy of the package by their kinds", () => {
    const local = new TimeoutError("t");
    expect(isTimeoutError(local)).toBe(true);
    expect(isCourierError(local)).toBe(true);
    expect(isCourierApiError(local)).toBe(false);
    expect(local).toBeInstanceOf(ConnectionError);

    // A second copy: same kinds, different classes.
    class OtherCourierError extends Error {
      static readonly kind: string = "CourierError";
    }
    class OtherTimeout extends OtherCourierError {
      static override readonly kind = "TimeoutError";
    }
    const foreign = Object.assign(new OtherTimeout("x"), {
      [Symbol.for("courier-ts.error.kinds")]: ["TimeoutError", "ConnectionError", "CourierError"],
    });
    // instanceof follows the kinds too, and only up the foreign error's own chain.
    expect(foreign instanceof TimeoutError).toBe(true);
    expect(foreign instanceof ConnectionError).toBe(true);
    expect(foreign instanceof CourierError).toBe(true);
    expect(foreign instanceof CourierApiError).toBe(false);
    expect(new OtherCourierError("y") instanceof CourierError).toBe(false);
    expect(new Error("plain") instanceof CourierError).toBe(false);
    expect(isTimeoutError(foreign)).toBe(true);
    expect(isCourierError(foreign)).toBe(true);
    expect(isCourierApiError(foreign)).toBe(false);
    expect(isCourierError(new Error("plain"))).toBe(false);
    expect(isCourierError(null)).toBe(false);
  });

  it("isNotFoundError tells a 404 from another status", () => {
    expect(isNotFoundError(CourierApiError.from(new Response(null, { status: 404 }), {}))).toBe(true);
    expect(isNotFoundError(CourierApiError.from(new Response(null, { status: 400 }), {}))).toBe(false);
  });
});
