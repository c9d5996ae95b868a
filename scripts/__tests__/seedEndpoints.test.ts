/**
 * The end-to-end suite of the endpoints the SDK is built around (send, bulk, profiles, lists, audiences, messages,
 * automations), every one called through @courier-ts/client, against
 * 1. a Prism mock of the merged spec with request validation and `--errors` (a request the spec does not
 *    accept comes back 4xx and fails here), and
 * 2. the emulator (real state: the calls are ordered so that what is read was created first).
 */
import { type CourierClient, createCourierClient } from "@courier-ts/client";
import { type Emulator, startEmulator } from "@courier-ts/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPrism, startPrism } from "../testing/prism.ts";

const user_id = "0460766e-8463-4905-ae98-b72c7aef41d6";
const targets = ["prism mock", "emulator"] as const;

describe.each(targets)("core endpoints against the %s", (target) => {
  let courier: CourierClient;
  let baseUrl: string;
  let prism: RunningPrism | undefined;
  let emulator: Emulator | undefined;
  let requestId = "";

  beforeAll(async () => {
    if (target === "prism mock") {
      prism = await startPrism();
      baseUrl = prism.url;
    } else {
      emulator = await startEmulator({
        apiKey: "test-key",
        automations: { TEMPLATE_ID: [{ action: "send", template: "WELCOME" }] },
      });
      baseUrl = emulator.url;
    }
    courier = createCourierClient({ apiKey: "test-key", baseUrl, maxRetries: 0 });
    // State the sends below address.
    for (const list_id of ["example_list", "l1"]) {
      expectAccepted(await courier.PUT("/lists/{list_id}", { params: { path: { list_id } }, body: { name: list_id } }));
    }
    expectAccepted(
      await courier.PUT("/audiences/{audience_id}", {
        params: { path: { audience_id: "aud-1" } },
        body: { filter: { filters: [{ operator: "EQ", path: "team", value: "eng" }] } },
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await prism?.close();
    await emulator?.close();
  });

  function expectAccepted(result: { response: Response; error?: unknown }) {
    expect(result.error, JSON.stringify(result.error)).toBeUndefined();
    expect(result.response.status).toBeGreaterThanOrEqual(200);
    expect(result.response.status).toBeLessThan(300);
  }

  describe("send", () => {
    it.each([
      ["user", { user_id: "user_id" }],
      ["email", { email: "user@example.com" }],
      ["phone", { phone_number: "+1234567890" }],
      ["list", { list_id: "example_list" }],
      ["list pattern", { list_pattern: "teams.*" }],
      ["audience", { audience_id: "aud-1" }],
      ["array of kinds", [{ user_id: "u1" }, { email: "a@example.com" }, { list_id: "l1" }]],
    ])("POST /send to a %s with a template", async (_kind, to) => {
      const result = await courier.POST("/send", {
        body: { message: { to, template: "template_id", data: { foo: "bar" } } },
      });
      expectAccepted(result);
      expect(result.data?.requestId).toEqual(expect.any(String));
      requestId ||= result.data?.requestId ?? "";
    });

    it("POST /send with inline content and routing", async () => {
      const result = await courier.POST("/send", {
        body: {
          message: {
            to: { user_id: "example_user" },
            content: { title: "Hello {name}", body: "How are you?" },
            data: { name: "Ben" },
            routing: { method: "single", channels: ["email"] },
          },
        },
      });
      expectAccepted(result);
    });

    it("POST /send/{event}/routing (the legacy event send)", async () => {
      const result = await courier.POST("/send/{event}/routing", {
        params: { path: { event: "EXAMPLE_EVENT" } },
        body: {
          recipients: [
            {
              recipient: "8ec8c99a-c5f7-455b-9f60-8222b8a27056",
              data: { name: "Jane Doe", age: 27 },
              profile: { phone_number: "2025550125", email: "hello@example.com" },
            },
          ],
        },
      });
      expectAccepted(result);
      expect(Array.isArray(result.data?.results)).toBe(true);
    });
  });

  describe("bulk", () => {
    it("creates a job, adds users, runs it and reads status and users", async () => {
      const created = await courier.POST("/bulk", {
        body: {
          message: {
            event: "EXAMPLE_NOTIFICATION",
            brand: "W50NC77P524K14M5300PGPEK4JMJ",
            data: { name: "Jane Doe", age: 27 },
          },
        },
      });
      expectAccepted(created);
      const job_id = created.data?.jobId ?? "";
      expect(job_id).not.toBe("");
      const path = { job_id };
      expectAccepted(
        await courier.POST("/bulk/{job_id}", {
          params: { path },
          body: { users: [{ recipient: "u1", profile: { email: "u1@example.com" }, data: { n: 1 } }] },
        }),
      );
      expectAccepted(await courier.POST("/bulk/{job_id}/run", { params: { path } }));
      expectAccepted(await courier.GET("/bulk/{job_id}", { params: { path } }));
      expectAccepted(await courier.GET("/bulk/{job_id}/users", { params: { path } }));
    });
  });

  describe("profiles", () => {
    const path = { user_id };
    it("POST merges into the stored profile, including the empty profile", async () => {
      const merged = await courier.POST("/profiles/{user_id}", {
        params: { path },
        body: { profile: { email: "user@example.com", phone_number: "555-555-5555" } },
      });
      expectAccepted(merged);
      expect(merged.data?.status).toBe("SUCCESS");
      expectAccepted(await courier.POST("/profiles/{user_id}", { params: { path }, body: { profile: {} } }));
    });
    it("GET, PUT, PATCH, DELETE", async () => {
      expectAccepted(await courier.GET("/profiles/{user_id}", { params: { path } }));
      expectAccepted(
        await courier.PUT("/profiles/{user_id}", { params: { path }, body: { profile: { email: "x@y.z" } } }),
      );
      expectAccepted(
        await courier.PATCH("/profiles/{user_id}", {
          params: { path },
          body: {
            patch: [
              { op: "replace", path: "/email", value: "new@example.com" },
              { op: "add", path: "/phone_number", value: "555-555-5555" },
            ],
          },
        }),
      );
      expectAccepted(await courier.DELETE("/profiles/{user_id}", { params: { path } }));
    });
    it("list subscriptions: GET, POST, DELETE", async () => {
      expectAccepted(await courier.GET("/profiles/{user_id}/lists", { params: { path } }));
      expectAccepted(
        await courier.POST("/profiles/{user_id}/lists", {
          params: { path },
          body: { lists: [{ listId: "teams.eng" }, { listId: "teams.ops", preferences: {} }] },
        }),
      );
      expectAccepted(await courier.DELETE("/profiles/{user_id}/lists", { params: { path } }));
    });
  });

  describe("lists", () => {
    const path = { list_id: "teams.eng" };
    it("put, list, get, delete, restore", async () => {
      expectAccepted(await courier.PUT("/lists/{list_id}", { params: { path }, body: { name: "Engineering" } }));
      expectAccepted(await courier.GET("/lists", { params: { query: { pattern: "teams.*" } } }));
      expectAccepted(await courier.GET("/lists/{list_id}", { params: { path } }));
      expectAccepted(await courier.DELETE("/lists/{list_id}", { params: { path } }));
      expectAccepted(await courier.PUT("/lists/{list_id}/restore", { params: { path } }));
    });
    it("subscriptions: get, add, replace, subscribe one, unsubscribe one", async () => {
      expectAccepted(await courier.GET("/lists/{list_id}/subscriptions", { params: { path } }));
      expectAccepted(
        await courier.POST("/lists/{list_id}/subscriptions", {
          params: { path },
          body: { recipients: [{ recipientId: "u1" }, { recipientId: "u2" }] },
        }),
      );
      expectAccepted(
        await courier.PUT("/lists/{list_id}/subscriptions", {
          params: { path },
          body: { recipients: [{ recipientId: "u3" }] },
        }),
      );
      const one = { ...path, user_id: "u1" };
      expectAccepted(
        await courier.PUT("/lists/{list_id}/subscriptions/{user_id}", { params: { path: one }, body: {} }),
      );
      expectAccepted(await courier.DELETE("/lists/{list_id}/subscriptions/{user_id}", { params: { path: one } }));
    });
  });

  describe("audiences", () => {
    const path = { audience_id: "aud-1" };
    it("list, put, get, members, delete", async () => {
      expectAccepted(await courier.GET("/audiences"));
      expect(target).toBeDefined();
      expectAccepted(
        await courier.PUT("/audiences/{audience_id}", {
          params: { path },
          body: {
            name: "SF",
            filter: { filters: [{ operator: "EQ", path: "location.city", value: "San Francisco" }] },
          },
        }),
      );
      expectAccepted(await courier.GET("/audiences/{audience_id}", { params: { path } }));
      expectAccepted(await courier.GET("/audiences/{audience_id}/members", { params: { path } }));
      expectAccepted(await courier.DELETE("/audiences/{audience_id}", { params: { path } }));
    });
  });

  describe("messages and requests", () => {
    it("list with filters, get, history, output, cancel, archive", async () => {
      const path = { message_id: requestId };
      expect(requestId).not.toBe("");
      expectAccepted(await courier.GET("/messages", { params: { query: { recipient: "u1", status: ["DELIVERED"] } } }));
      expectAccepted(await courier.GET("/messages/{message_id}", { params: { path } }));
      expectAccepted(await courier.GET("/messages/{message_id}/history", { params: { path } }));
      expectAccepted(await courier.GET("/messages/{message_id}/output", { params: { path } }));
      expectAccepted(await courier.POST("/messages/{message_id}/cancel", { params: { path } }));
      expectAccepted(
        await courier.PUT("/requests/{request_id}/archive", { params: { path: { request_id: path.message_id } } }),
      );
    });
  });

  describe("automations", () => {
    it("POST /automations/invoke with ad-hoc steps", async () => {
      const result = await courier.POST("/automations/invoke", {
        body: {
          automation: {
            steps: [
              { action: "send", template: "SAMPLE_TEMPLATE" },
              { action: "delay", until: "20240408T080910.123" },
            ],
          },
          data: { name: "Jane Doe", age: 27 },
          profile: { user_id: "fubar", email: "hello@example.com" },
        },
      });
      expectAccepted(result);
      expect(result.data?.runId).toEqual(expect.any(String));
    });
    it("POST /automations/{templateId}/invoke", async () => {
      const result = await courier.POST("/automations/{templateId}/invoke", {
        params: { path: { templateId: "TEMPLATE_ID" } },
        body: { recipient: "u1", data: { name: "Jane" } },
      });
      expectAccepted(result);
    });
  });

  describe("validation is live", () => {
    const raw = (path: string, method: string, body: unknown) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: { Authorization: "Bearer test-key", "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    it.each([
      ["/send", "POST", { mesage: {} }],
      ["/send", "POST", { message: { to: { user_id: "u" }, content: { title: "no body" } } }],
      ["/profiles/u1", "POST", {}],
      ["/lists/l1", "PUT", { nam: "x" }],
      ["/bulk", "POST", { message: "not an object" }],
    ])("%s %s rejects %j", async (path, method, body) => {
      const response = await raw(path, method, body);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    });
  });
});
