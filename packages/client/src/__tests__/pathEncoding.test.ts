import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCourierClient, InvalidRequestError } from "../index.js";
import { startTestServer, type TestServer } from "./helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("path parameters reach the server as exactly one segment", () => {
  it.each([
    ["a/../b", "/profiles/a%2F..%2Fb"],
    ["x?y", "/profiles/x%3Fy"],
    ["x#y", "/profiles/x%23y"],
    ["user 1", "/profiles/user%201"],
    ["50%", "/profiles/50%25"],
    ["../admin", "/profiles/..%2Fadmin"],
    ["élan@example.com", "/profiles/%C3%A9lan%40example.com"],
    ["...", "/profiles/..."],
  ])("%j", async (user_id, expected) => {
    const courier = createCourierClient({ apiKey: "k", baseUrl: server.url, maxRetries: 0 });
    const before = server.requests.length;
    await courier.GET("/profiles/{user_id}", { params: { path: { user_id } } });
    expect(server.requests[before]?.url).toBe(expected);
  });

  it.each(["", ".", ".."])("refuses %j before sending anything", async (user_id) => {
    const courier = createCourierClient({ apiKey: "k", baseUrl: server.url, maxRetries: 0 });
    const before = server.requests.length;
    await expect(courier.GET("/profiles/{user_id}", { params: { path: { user_id } } })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(server.requests.length).toBe(before);
  });

  it("refuses a missing parameter, and names the path it left unfilled", async () => {
    const courier = createCourierClient({ apiKey: "k", baseUrl: server.url, maxRetries: 0 });
    const before = server.requests.length;
    const missing = { path: {} } as { path: { user_id: string } };
    const error = await courier.GET("/profiles/{user_id}", { params: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain("/profiles/%7Buser_id%7D");
    const empty = await courier
      .PUT("/lists/{list_id}/subscriptions/{user_id}", { params: { path: { list_id: "", user_id: "u" } }, body: {} })
      .catch((e: unknown) => e);
    expect((empty as Error).message).toContain("/lists//subscriptions/u");
    expect(server.requests.length).toBe(before);
  });

  it("encodes every parameter of a two-parameter path", async () => {
    const courier = createCourierClient({ apiKey: "k", baseUrl: server.url, maxRetries: 0 });
    const before = server.requests.length;
    await courier.PUT("/lists/{list_id}/subscriptions/{user_id}", {
      params: { path: { list_id: "a/b", user_id: "c?d" } },
      body: {},
    });
    expect(server.requests[before]?.url).toBe("/lists/a%2Fb/subscriptions/c%3Fd");
  });
});
