import { paginate } from "@courier-ts/client";
import { describe, expect, it } from "vitest";
import { messagesOf, profilesOf } from "../index.js";
import { manualClock, setup } from "./helpers.js";

const clock = manualClock();
const STEP = 1000;
const t = setup({ now: clock.now, stepMs: STEP, events: { ORDER_SHIPPED: ["email", "sms"] } });

async function profile(user_id: string, data: Record<string, unknown>) {
  await t.courier.POST("/profiles/{user_id}", { params: { path: { user_id } }, body: { profile: data } });
}

async function send(message: Record<string, unknown>) {
  const result = await t.courier.POST("/send", { body: { message } as never });
  return result;
}

function recipients() {
  return [...messagesOf(t.emulator.state).values()].map((m) => m.recipient).sort();
}

describe("POST /send", () => {
  it("answers 202 with a requestId that is the message id for one recipient", async () => {
    await profile("u1", { email: "u1@x.io" });
    const { data, response } = await send({ to: { user_id: "u1" }, template: "WELCOME", data: { name: "Jane" } });
    expect(response.status).toBe(202);
    expect(data?.requestId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const message = await t.courier.GET("/messages/{message_id}", {
      params: { path: { message_id: data?.requestId ?? "" } },
    });
    expect(message.data).toMatchObject({
      id: data?.requestId,
      recipient: "u1",
      status: "ENQUEUED",
      notification: "WELCOME",
    });
  });

  it("expands every `to` form: user, email, phone, list, list pattern, audience and arrays (unique recipients)", async () => {
    await profile("a", { email: "a@x.io", team: "eng" });
    await profile("b", { email: "b@x.io", team: "eng" });
    await profile("c", { phone_number: "+15550001", team: "ops" });
    await t.courier.POST("/lists/{list_id}/subscriptions", {
      params: { path: { list_id: "teams.eng" } },
      body: { recipients: [{ recipientId: "a" }, { recipientId: "b" }] },
    });
    await t.courier.POST("/lists/{list_id}/subscriptions", {
      params: { path: { list_id: "teams.ops" } },
      body: { recipients: [{ recipientId: "c" }, { recipientId: "a" }] },
    });
    await t.courier.PUT("/audiences/{audience_id}", {
      params: { path: { audience_id: "ops" } },
      body: { filter: { filters: [{ operator: "EQ", path: "team", value: "ops" }] } },
    });
    const cases: Array<[unknown, string[]]> = [
      [{ user_id: "a" }, ["a"]],
      [{ email: "x@y.io" }, ["x@y.io"]],
      [{ phone_number: "+15551234" }, ["+15551234"]],
      [{ list_id: "teams.eng" }, ["a", "b"]],
      [{ list_pattern: "teams.*" }, ["a", "b", "c"]],
      [{ audience_id: "ops" }, ["c"]],
      [
        [{ user_id: "a" }, { list_id: "teams.eng" }, { email: "z@y.io" }],
        ["a", "b", "z@y.io"],
      ],
    ];
    for (const [to, expected] of cases) {
      messagesOf(t.emulator.state).clear();
      const { response, error } = await send({ to, template: "T" });
      expect(response.status, JSON.stringify(error)).toBe(202);
      expect(recipients(), JSON.stringify(to)).toEqual(expected);
    }
  });

  it("requires exactly one of template and content, and a known list", async () => {
    const neither = await send({ to: { user_id: "a" } });
    expect(neither.response.status).toBe(400);
    expect(neither.error).toEqual({
      message: "Invalid Request. Either 'content' or 'template' must be defined.",
      type: "invalid_request_error",
    });
    const both = await send({ to: { user_id: "a" }, template: "T", content: { title: "t", body: "b" } });
    expect(both.response.status).toBe(400);
    const noList = await send({ to: { list_id: "missing" }, template: "T" });
    expect(noList.response.status).toBe(400);
    const badType = await send({ to: { user_id: 42 }, template: "T" });
    expect(badType.response.status).toBe(400);
    expect((badType.error as { message: string }).message).toContain("message.to.user_id");
    expect(messagesOf(t.emulator.state).size).toBe(0);
  });

  it("moves messages ENQUEUED → SENT → DELIVERED with history, and UNDELIVERABLE without an address", async () => {
    await profile("u1", { email: "u1@x.io" });
    const sent = await send({
      to: { user_id: "u1" },
      content: { title: "Hi {name}", body: "Order {order}" },
      data: { name: "Jo", order: 7 },
    });
    const noAddress = await send({ to: { user_id: "ghost" }, template: "T" });
    const id = sent.data?.requestId ?? "";
    const status = async (message_id: string) =>
      (await t.courier.GET("/messages/{message_id}", { params: { path: { message_id } } })).data?.status;
    expect(await status(id)).toBe("ENQUEUED");
    clock.advance(STEP);
    expect(await status(id)).toBe("SENT");
    clock.advance(STEP);
    expect(await status(id)).toBe("DELIVERED");
    expect(await status(noAddress.data?.requestId ?? "")).toBe("UNDELIVERABLE");
    const history = await t.courier.GET("/messages/{message_id}/history", { params: { path: { message_id: id } } });
    expect(history.data?.results.map((e) => e.type)).toEqual(["ENQUEUED", "ROUTED", "SENT", "DELIVERED"]);
    const output = await t.courier.GET("/messages/{message_id}/output", { params: { path: { message_id: id } } });
    expect(output.data?.results[0]?.content).toMatchObject({ title: "Hi Jo", body: "Order 7" });
  });

  it("cancel answers 200 while enqueued (also for a delayed message) and 409 once sent", async () => {
    await profile("u1", { email: "u1@x.io" });
    const delayed = await send({ to: { user_id: "u1" }, template: "T", delay: { duration: 90_000 } });
    const prompt = await send({ to: { user_id: "u1" }, template: "T" });
    clock.advance(STEP);
    const canceled = await t.courier.POST("/messages/{message_id}/cancel", {
      params: { path: { message_id: delayed.data?.requestId ?? "" } },
    });
    expect(canceled.response.status).toBe(200);
    expect(canceled.data).toMatchObject({ status: "CANCELED", canceledAt: clock.now() });
    const late = await t.courier.POST("/messages/{message_id}/cancel", {
      params: { path: { message_id: prompt.data?.requestId ?? "" } },
    });
    expect(late.response.status).toBe(409);
    expect(late.error).toMatchObject({ id: prompt.data?.requestId, status: "SENT" });
    clock.advance(10 * 60_000);
    const after = await t.courier.GET("/messages/{message_id}", {
      params: { path: { message_id: delayed.data?.requestId ?? "" } },
    });
    expect(after.data?.status).toBe("CANCELED");
  });

  it("GET /messages filters by recipient, status, tag, list, and pages with a cursor; archive hides a request", async () => {
    await profile("a", { email: "a@x.io" });
    for (let i = 0; i < 25; i++) {
      await send({
        to: { user_id: i % 5 === 0 ? "a" : `u${i}` },
        template: "T",
        metadata: { tags: i % 2 ? ["odd"] : ["even"] },
      });
    }
    const byRecipient = await t.courier.GET("/messages", { params: { query: { recipient: "a" } } });
    expect(byRecipient.data?.results.map((m) => m.recipient)).toEqual(["a", "a", "a", "a", "a"]);
    const odd = await t.courier.GET("/messages", { params: { query: { tag: ["odd"] } } });
    expect(odd.data?.results).toHaveLength(12);
    clock.advance(2 * STEP);
    const delivered = await t.courier.GET("/messages", { params: { query: { status: ["DELIVERED"] } } });
    expect(delivered.data?.results).toHaveLength(5);
    let count = 0;
    for await (const _ of paginate(t.courier, "/messages")) {
      count++;
    }
    expect(count).toBe(25);
    const first = byRecipient.data?.results[0]?.id ?? "";
    const archived = await t.courier.PUT("/requests/{request_id}/archive", { params: { path: { request_id: first } } });
    expect(archived.response.status).toBe(204);
    expect((await t.courier.GET("/messages", { params: { query: { recipient: "a" } } })).data?.results).toHaveLength(4);
    expect(
      (await t.courier.GET("/messages", { params: { query: { recipient: "a", archived: true } } })).data?.results,
    ).toHaveLength(5);
  });

  it("POST /send/{event}/routing reports UNMAPPED or a channel summary and sends nothing", async () => {
    const unmapped = await t.courier.POST("/send/{event}/routing", {
      params: { path: { event: "UNKNOWN" } },
      body: {
        recipients: [{ recipient: "8ec8c99a-c5f7-455b-9f60-8222b8a27056", profile: { email: "hello@example.com" } }],
      },
    });
    expect(unmapped.data?.results).toEqual([
      [{ recipient: "8ec8c99a-c5f7-455b-9f60-8222b8a27056", routing: { reason: "UNMAPPED", selected: false } }],
    ]);
    const mapped = await t.courier.POST("/send/{event}/routing", {
      params: { path: { event: "ORDER_SHIPPED" } },
      body: {
        recipients: [{ recipient: "r1", data: { name: "Jane Doe", age: 27 }, profile: { email: "hello@example.com" } }],
      },
    });
    expect(mapped.data?.results?.[0]?.[0]?.routing).toMatchObject({
      selected: true,
      channelsSummary: [
        { channel: "email", selected: true },
        { channel: "sms", selected: false, reason: "INCOMPLETE_PROFILE_DATA" },
      ],
    });
    expect(messagesOf(t.emulator.state).size).toBe(0);
  });
});

describe("bulk", () => {
  it("create (201) → add users (twice) → run → status and users; a job runs once", async () => {
    const created = await t.courier.POST("/bulk", {
      body: {
        message: {
          event: "EXAMPLE_NOTIFICATION",
          brand: "W50NC77P524K14M5300PGPEK4JMJ",
          data: { name: "Jane Doe", age: 27 },
        },
      },
    });
    expect(created.response.status).toBe(201);
    const job_id = created.data?.jobId ?? "";
    const path = { job_id };
    await t.courier.POST("/bulk/{job_id}", {
      params: { path },
      body: { users: [{ recipient: "u1", profile: { email: "u1@x.io" }, data: { name: "Override" } }] },
    });
    await t.courier.POST("/bulk/{job_id}", {
      params: { path },
      body: { users: [{ profile: { email: "anon@x.io" } }, {}] },
    });
    const before = await t.courier.GET("/bulk/{job_id}", { params: { path } });
    expect(before.data?.job).toMatchObject({ status: "CREATED", received: 3, enqueued: 0 });
    const run = await t.courier.POST("/bulk/{job_id}/run", { params: { path } });
    expect(run.response.status).toBe(204);
    await t.emulator.idle();
    const after = await t.courier.GET("/bulk/{job_id}", { params: { path } });
    expect(after.data?.job).toMatchObject({ status: "COMPLETED", received: 3, enqueued: 2, failures: 1 });
    const users = await t.courier.GET("/bulk/{job_id}/users", { params: { path } });
    expect(users.data?.items.map((u) => u.status)).toEqual(["ENQUEUED", "ENQUEUED", "ERROR"]);
    const messageId = users.data?.items[0]?.messageId ?? "";
    expect(messagesOf(t.emulator.state).get(messageId)?.data).toEqual({ name: "Override", age: 27 });
    const again = await t.courier.POST("/bulk/{job_id}/run", { params: { path } });
    expect(again.response.status).toBe(409);
    const missingEvent = await t.courier.POST("/bulk", { body: { message: { event: "" } } });
    expect(missingEvent.response.status).toBe(400);
    const unknown = await t.courier.GET("/bulk/{job_id}", { params: { path: { job_id: "nope" } } });
    expect(unknown.response.status).toBe(404);
  });
});

describe("automations", () => {
  it("runs ad-hoc steps: send now, delay, send after the delay; merges the profile", async () => {
    const invoked = await t.courier.POST("/automations/invoke", {
      body: {
        automation: {
          steps: [
            { action: "send", template: "SAMPLE_TEMPLATE" },
            { action: "delay", duration: "5 minutes" },
            { action: "send", template: "FOLLOW_UP" },
          ],
        },
        data: { name: "Jane Doe", age: 27 },
        profile: { user_id: "fubar", email: "hello@example.com" },
      },
    });
    expect(invoked.response.status).toBe(200);
    const runId = invoked.data?.runId ?? "";
    expect(runId).not.toBe("");
    expect(profilesOf(t.emulator.state).get("fubar")?.profile).toMatchObject({ email: "hello@example.com" });
    const templates = () => [...messagesOf(t.emulator.state).values()].map((m) => m.template);
    expect(templates()).toEqual(["SAMPLE_TEMPLATE"]);
    const steps = async () =>
      (await t.courier.GET("/automations/runs/{id}/steps", { params: { path: { id: runId } } })).data?.steps.map(
        (s) => s.status,
      );
    expect(await steps()).toEqual(["PROCESSED", "WAITING", "PENDING"]);
    clock.advance(5 * 60_000);
    expect(await steps()).toEqual(["PROCESSED", "PROCESSED", "PROCESSED"]);
    expect(templates()).toEqual(["SAMPLE_TEMPLATE", "FOLLOW_UP"]);
    const runs = await t.courier.GET("/automations/runs");
    expect(runs.data?.runs[0]).toMatchObject({ run_id: runId, status: "PROCESSED" });
  });

  it("accepts the seed's basic-format `until`, and rejects a delay it cannot read", async () => {
    const ok = await t.courier.POST("/automations/invoke", {
      body: {
        automation: {
          steps: [
            { action: "send", template: "SAMPLE_TEMPLATE" },
            { action: "delay", until: "20240408T080910.123" },
          ],
        },
        profile: { user_id: "fubar", email: "hello@example.com" },
      },
    });
    expect(ok.response.status).toBe(200);
    const bad = await t.courier.POST("/automations/invoke", {
      body: { automation: { steps: [{ action: "delay", duration: "soon" }] }, recipient: "u1" },
    });
    expect(bad.response.status).toBe(400);
  });

  it("invokes a template automation and 404s an unknown template", async () => {
    const unknown = await t.courier.POST("/automations/{templateId}/invoke", {
      params: { path: { templateId: "nope" } },
      body: { recipient: "u1" },
    });
    expect(unknown.response.status).toBe(404);
  });
});
