/**
 * Outbound webhooks end to end: a real HTTP receiver on 127.0.0.1 verifies every delivery with the
 * express package's own verifier, as a user's webhook handler would.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { verifyCourierSignature } from "../../../express/src/webhook.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../index.js";
import { signWebhook } from "../webhooks.js";
import { manualClock } from "./helpers.js";

const SECRET = "whsec_test";

interface Received {
  status: string;
  id: string;
  verified: boolean;
  reason?: string;
}

let emulator: Emulator | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await emulator?.close();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  emulator = undefined;
  receiver = undefined;
});

/** A receiver that verifies signatures; `answer` picks the status for the nth delivery. */
async function startReceiver(answer: (n: number) => number = () => 200) {
  const received: Received[] = [];
  let attempts = 0;
  receiver = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    const result = verifyCourierSignature(raw, req.headers["courier-signature"] as string | undefined, SECRET);
    const event = JSON.parse(raw.toString("utf8")) as { type: string; data: { id: string; status: string } };
    expect(event.type).toBe("message:updated");
    const status = answer(attempts++);
    if (status === 200) {
      received.push({
        status: event.data.status,
        id: event.data.id,
        verified: result.ok,
        reason: result.ok ? undefined : result.reason,
      });
    }
    res.writeHead(status, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/courier`, received, attempts: () => attempts };
}

async function start(options: EmulatorOptions) {
  emulator = await startEmulator({ apiKey: "k", ...options });
  return emulator;
}

async function send(to: Record<string, string>) {
  const response = await fetch(`${emulator?.url}/send`, {
    method: "POST",
    headers: { authorization: "Bearer k", "content-type": "application/json" },
    body: JSON.stringify({ message: { to, template: "WELCOME" } }),
  });
  return ((await response.json()) as { requestId: string }).requestId;
}

/** Waits until `check` passes, moving a manual clock if one is given; fails after 10 s. */
async function until(check: () => boolean, tick?: () => void) {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error("timed out waiting for webhooks");
    }
    tick?.();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("outbound webhooks", () => {
  it("POSTs a signed message:updated event for each status a message reaches", async () => {
    const hook = await startReceiver();
    const clock = manualClock();
    await start({ webhookUrl: hook.url, webhookSecret: SECRET, stepMs: 1000, now: clock.now });
    const delivered = await send({ email: "a@example.com" });
    const undeliverable = await send({ user_id: "nobody" });
    await until(
      () => hook.received.length >= 5,
      () => clock.advance(250),
    );
    await emulator?.idle();
    const statuses = (id: string) => hook.received.filter((e) => e.id === id).map((e) => e.status);
    expect(statuses(delivered)).toEqual(["ENQUEUED", "SENT", "DELIVERED"]);
    expect(statuses(undeliverable)).toEqual(["ENQUEUED", "UNDELIVERABLE"]);
    expect(hook.received.every((e) => e.verified)).toBe(true);
    expect(emulator?.stats().webhooks).toMatchObject({ delivered: 5, failedAttempts: 0, pending: 0 });
  });

  it("sends CANCELED when a message is canceled before it is sent", async () => {
    const hook = await startReceiver();
    const clock = manualClock();
    await start({ webhookUrl: hook.url, webhookSecret: SECRET, stepMs: 1000, now: clock.now });
    const id = await send({ email: "a@example.com" });
    await fetch(`${emulator?.url}/messages/${id}/cancel`, { method: "POST", headers: { authorization: "Bearer k" } });
    await until(
      () => hook.received.length >= 2,
      () => clock.advance(250),
    );
    clock.advance(5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await emulator?.idle();
    expect(hook.received.map((e) => e.status)).toEqual(["ENQUEUED", "CANCELED"]);
  });

  it("retries a delivery answered with a non-2xx, with backoff, until it succeeds", async () => {
    const hook = await startReceiver((n) => (n < 2 ? 503 : 200));
    await start({
      webhookUrl: hook.url,
      webhookSecret: SECRET,
      stepMs: 60_000,
      webhookDelivery: { backoffMs: 20, attempts: 5 },
    });
    const id = await send({ email: "a@example.com" });
    await until(() => emulator?.stats().webhooks.delivered === 1);
    expect(hook.received).toEqual([{ status: "ENQUEUED", id, verified: true, reason: undefined }]);
    expect(hook.attempts()).toBe(3);
    expect(emulator?.stats().webhooks).toMatchObject({ delivered: 1, failedAttempts: 2, abandoned: 0 });
  });

  it("gives up after the last attempt and keeps serving", async () => {
    const hook = await startReceiver(() => 500);
    await start({
      webhookUrl: hook.url,
      webhookSecret: SECRET,
      stepMs: 60_000,
      webhookDelivery: { backoffMs: 5, attempts: 3 },
    });
    await send({ email: "a@example.com" });
    await until(() => emulator?.stats().webhooks.abandoned === 1);
    expect(hook.attempts()).toBe(3);
    await send({ email: "b@example.com" });
  });

  it("stops delivering on close()", async () => {
    const hook = await startReceiver(() => 500);
    await start({ webhookUrl: hook.url, webhookSecret: SECRET, webhookDelivery: { backoffMs: 50, attempts: 100 } });
    await send({ email: "a@example.com" });
    await until(() => hook.attempts() >= 1);
    await emulator?.close();
    emulator = undefined;
    const after = hook.attempts();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.attempts()).toBe(after);
  });

  it("signs as Courier does, so the express verifier accepts it and rejects a tampered body", () => {
    const body = JSON.stringify({ type: "message:updated", data: { id: "1" } });
    const header = signWebhook(body, SECRET, Date.now());
    expect(header).toMatch(/^t=\d{13},signature=[0-9a-f]{64}$/);
    expect(verifyCourierSignature(body, header, SECRET).ok).toBe(true);
    expect(verifyCourierSignature(`${body} `, header, SECRET).ok).toBe(false);
    expect(verifyCourierSignature(body, header, "other").ok).toBe(false);
  });

  it("refuses a webhook URL without a secret, an empty secret and a non-http URL at start", async () => {
    await expect(startEmulator({ webhookUrl: "http://127.0.0.1:1/x" })).rejects.toThrow("webhookSecret is required");
    await expect(startEmulator({ webhookUrl: "http://127.0.0.1:1/x", webhookSecret: " " })).rejects.toThrow(
      "webhookSecret is required",
    );
    await expect(startEmulator({ webhookUrl: "file:///etc/passwd", webhookSecret: "s" })).rejects.toThrow("http(s)");
    await expect(startEmulator({ webhookSecret: "s" })).rejects.toThrow("webhookUrl is not");
  });
});
