import { createHmac } from "node:crypto";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CourierWebhookEvent,
  courierWebhook,
  createMemoryStore,
  signCourierPayload,
  verifyCourierSignature,
  type WebhookOptions,
} from "../index.js";
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

describe("courierWebhook is secure by default", () => {
  it("refuses a missing or empty secret when it is created, and verify is never ok without one", () => {
    const onEvent = () => undefined;
    expect(() => courierWebhook({ secret: "", onEvent })).toThrow(/secret/);
    expect(() => courierWebhook({ secret: undefined as unknown as string, onEvent })).toThrow(/secret/);
    expect(() => courierWebhook({ onEvent } as unknown as WebhookOptions)).toThrow(/secret/);
    // A header really signed with the empty key is still refused.
    const t = Date.now();
    const forged = `t=${t},signature=${createHmac("sha256", "").update(`${t}.{}`).digest("hex")}`;
    expect(verifyCourierSignature("{}", forged, "")).toEqual({ ok: false, reason: "no secret configured" });
    expect(() => signCourierPayload("{}", "")).toThrow(/secret/);
  });

  it("answers every error as JSON: 413, 400, and 500 when onEvent throws (then Courier's retry is accepted)", async () => {
    const errors: unknown[] = [];
    let failNext = true;
    const server = express();
    server.post(
      "/hook",
      courierWebhook({
        secret: SECRET,
        maxBodyBytes: 1024,
        onEvent: () => {
          if (failNext) {
            failNext = false;
            throw new Error("database down");
          }
        },
        onError: (error) => errors.push(error),
      }),
    );
    server.use(express.json());
    server.post("/parsed-first", courierWebhook({ secret: SECRET, onEvent: () => undefined }));
    const local = await listen(server);
    const post = (path: string, body: string, signature = signCourierPayload(body, SECRET)) =>
      fetch(`${local.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "courier-signature": signature },
        body,
      });
    try {
      const big = JSON.stringify({ type: "audiences:updated", data: { pad: "x".repeat(2000) } });
      const cases: Array<[Promise<Response>, number]> = [
        [post("/hook", big), 413],
        [post("/hook", "{not json"), 400],
        [post("/hook", "[1]"), 400],
        [post("/hook", payload, "t=1,signature=nothex"), 401],
        [post("/parsed-first", payload), 500],
      ];
      for (const [pending, status] of cases) {
        const response = await pending;
        expect(response.status).toBe(status);
        expect(response.headers.get("content-type")).toMatch(/^application\/json/);
        expect(await response.json()).toHaveProperty("type");
      }
      const body = JSON.stringify({ type: "audiences:updated", data: { n: 1 } });
      const signature = signCourierPayload(body, SECRET);
      const failed = await post("/hook", body, signature);
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ message: "Webhook handler failed", type: "api_error" });
      expect(errors).toHaveLength(1);
      expect((await post("/hook", body, signature)).status).toBe(200);
      expect((await post("/hook", body, signature)).status).toBe(401);
    } finally {
      await local.close();
    }
  });

  it("refuses a delivery replayed to another instance that shares the replay store", async () => {
    const store = createMemoryStore();
    const seen: string[] = [];
    const instance = () =>
      express().post(
        "/hook",
        courierWebhook({ secret: SECRET, replayStore: store, onEvent: (event) => void seen.push(event.type) }),
      );
    const [a, b] = [await listen(instance()), await listen(instance())];
    try {
      const body = JSON.stringify({ type: "audiences:calculated", data: {} });
      const headers = { "content-type": "application/json", "courier-signature": signCourierPayload(body, SECRET) };
      expect((await fetch(`${a.url}/hook`, { method: "POST", headers, body })).status).toBe(200);
      const replay = await fetch(`${b.url}/hook`, { method: "POST", headers, body });
      expect(replay.status).toBe(401);
      expect(seen).toEqual(["audiences:calculated"]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

it("answers 500 JSON, within storeTimeoutMs, when the replay store hangs (Courier retries later)", async () => {
  const errors: unknown[] = [];
  const local = await listen(
    express().post(
      "/hook",
      courierWebhook({
        secret: SECRET,
        replayStore: { claim: () => new Promise<boolean>(() => undefined) },
        storeTimeoutMs: 100,
        onEvent: () => undefined,
        onError: (e) => errors.push(e),
      }),
    ),
  );
  try {
    const headers = { "content-type": "application/json", "courier-signature": signCourierPayload(payload, SECRET) };
    const response = await fetch(`${local.url}/hook`, { method: "POST", headers, body: payload });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Webhook handler failed", type: "api_error" });
    expect(String(errors[0])).toMatch(/replayStore.claim\(\) did not answer within 100 ms/);
  } finally {
    await local.close();
  }
});
