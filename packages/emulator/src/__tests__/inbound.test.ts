import type { components } from "@courier-ts/core";
import { describe, expect, it } from "vitest";
import { inboundEvents } from "../handlers/inbound.js";
import { manualClock, setup } from "./helpers.js";

type JourneyNode = components["schemas"]["JourneyNode"];

const clock = manualClock();
const t = setup({ now: clock.now, stepMs: 1000 });

const event = (messageId: string, userId?: string) => ({
  event: "order.placed",
  messageId,
  type: "track" as const,
  properties: { order: 42 },
  ...(userId ? { userId } : {}),
});

describe("inbound", () => {
  it("records the event, answers 202 with a request id, and 409s a repeated messageId", async () => {
    const first = await t.courier.POST("/inbound/courier", { body: event("evt-1", "u1") });
    expect(first.response.status).toBe(202);
    expect(first.data?.messageId).toMatch(/^1-/);
    expect(inboundEvents(t.emulator.state).get("evt-1")).toMatchObject({ event: "order.placed", userId: "u1" });
    const again = await t.courier.POST("/inbound/courier", { body: event("evt-1", "u1") });
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ type: "invalid_request_error" });
  });

  it("starts every published journey whose trigger names the event, with the properties as data", async () => {
    const created = await t.courier.POST("/journeys", {
      body: {
        name: "Order follow-up",
        nodes: [{ type: "trigger", trigger_type: "segment", request_type: "track", event_id: "order.placed" }],
      },
    });
    const templateId = created.data?.id ?? "";
    const notification = await t.courier.POST("/journeys/{templateId}/templates", {
      params: { path: { templateId } },
      body: {
        channel: "email",
        state: "PUBLISHED",
        notification: {
          name: "Thanks",
          brand: null,
          subscription: null,
          tags: [],
          content: { version: "2022-01-01", elements: [{ type: "text", content: "Order {{order}}" }] },
        },
      },
    });
    const nodes: JourneyNode[] = [
      { type: "trigger", trigger_type: "segment", request_type: "track", event_id: "order.placed" },
      { type: "send", message: { template: notification.data?.id ?? "" } },
    ];
    // While the journey is only a draft, the event starts nothing.
    await t.courier.POST("/inbound/courier", { body: event("evt-0", "u1") });
    expect((await t.courier.GET("/journeys/runs")).data?.runs).toEqual([]);

    await t.courier.PUT("/journeys/{templateId}", {
      params: { path: { templateId } },
      body: { name: "Order follow-up", nodes, state: "PUBLISHED" },
    });
    await t.courier.POST("/profiles/{user_id}", {
      params: { path: { user_id: "u1" } },
      body: { profile: { email: "u1@example.com" } },
    });
    await t.courier.POST("/inbound/courier", { body: event("evt-1", "u1") });
    await t.courier.POST("/inbound/courier", { body: { ...event("evt-2", "u1"), event: "something.else" } });
    const runs = await t.courier.GET("/journeys/runs");
    expect(runs.data?.runs.map((r) => [r.template_id, r.source])).toEqual([[templateId, ["inbound"]]]);
    const messages = await t.courier.GET("/messages", { params: { query: { recipient: "u1" } } });
    expect(messages.data?.results).toHaveLength(1);
    const message = await t.courier.GET("/messages/{message_id}/output", {
      params: { path: { message_id: messages.data?.results[0]?.id ?? "" } },
    });
    expect(message.response.status).toBe(200);
  });

  it("400s for a body that breaks the spec", async () => {
    const noType = await t.courier.POST("/inbound/courier", {
      body: { event: "x", messageId: "m", properties: {} } as never,
    });
    expect(noType.response.status).toBe(400);
    const wrongType = await t.courier.POST("/inbound/courier", {
      body: { ...event("m2"), type: "identify" as never },
    });
    expect(wrongType.response.status).toBe(400);
  });
});
