import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CourierWebhookEvent, courierWebhook, signCourierPayload, verifyCourierSignature } from "../index.js";
import { listen, type Running } from "./helpers.js";

const SECRET = "whsec_test_secret";
const received: CourierWebhookEvent[] = [];
let app: Running;

beforeAll(async () => {
  const server = express();
  server.post(
    "/webhooks/courier",
    courierWebhook({
      secret: SECRET,
      onEvent: (event) => {
        received.push(event);
      },
    }),
  );
  app = await listen(server);
});
afterAll(() => app.close());

const payload = JSON.stringify({
  type: "message:updated",
  data: {
    id: "1-abc",
    status: "DELIVERED",
    recipient: "u1",
    enqueued: 1,
    sent: 2,
    delivered: 3,
    opened: 0,
    clicked: 0,
    event: "E",
    notification: "N",
  },
});

function deliver(body: string, signature: string | undefined) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature) {
    headers["courier-signature"] = signature;
  }
  return fetch(`${app.url}/webhooks/courier`, { method: "POST", headers, body });
}

describe("courierWebhook", () => {
  it("accepts a valid delivery and hands the typed event to onEvent", async () => {
    const before = received.length;
    const response = await deliver(payload, signCourierPayload(payload, SECRET));
    expect(response.status).toBe(200);
    expect(received.slice(before)).toEqual([JSON.parse(payload)]);
    const event = received.at(-1);
    if (event?.type === "message:updated") {
      expect(event.data.status).toBe("DELIVERED");
    }
  });

  type Make = (p: string) => [string, string | undefined];
  const cases: Array<[string, Make]> = [
    ["a tampered body", (p) => [p.replace("DELIVERED", "CLICKED"), signCourierPayload(p, SECRET)]],
    ["the wrong secret", (p) => [p, signCourierPayload(p, "another-secret")]],
    ["a stale timestamp", (p) => [p, signCourierPayload(p, SECRET, Date.now() - 6 * 60_000)]],
    ["a future timestamp", (p) => [p, signCourierPayload(p, SECRET, Date.now() + 6 * 60_000)]],
    ["no signature", (p) => [p, undefined]],
    ["a malformed header", (p) => [p, "t=abc,signature=zz"]],
  ];
  it.each(cases)("refuses %s with 401", async (_name, make) => {
    const before = received.length;
    const [body, signature] = make(payload);
    const response = await deliver(body, signature);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: "authentication_error" });
    expect(received.length).toBe(before);
  });

  it("refuses a replay of a delivery it already accepted", async () => {
    const body = JSON.stringify({ type: "audiences:updated", data: { audience_id: "a" } });
    const signature = signCourierPayload(body, SECRET);
    expect((await deliver(body, signature)).status).toBe(200);
    const replay = await deliver(body, signature);
    expect(replay.status).toBe(401);
    expect((await replay.json()).message).toContain("replayed");
  });

  it("verifyCourierSignature follows Courier's scheme (hex HMAC-SHA256 of t.body, t in ms)", () => {
    const t = 1631816343012;
    const header = signCourierPayload("{}", SECRET, t);
    expect(header).toMatch(/^t=1631816343012,signature=[0-9a-f]{64}$/);
    expect(verifyCourierSignature("{}", header, SECRET, { now: t + 1000 })).toMatchObject({ ok: true, timestamp: t });
    expect(verifyCourierSignature("{}", header, SECRET, { now: t + 301_000 })).toEqual({
      ok: false,
      reason: "timestamp outside tolerance",
    });
  });
});
