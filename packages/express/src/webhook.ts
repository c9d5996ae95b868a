import { createHmac, timingSafeEqual } from "node:crypto";
import type { components } from "@courier-ts/core";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { createMemoryStore, type ReplayStore, withTimeout } from "./store.js";

/**
 * The events Courier documents for outbound webhooks. Courier may add types: those reach `onEvent` too, so
 * handle a `type` you do not know by ignoring it. (An open `string` member would stop `type` from
 * narrowing `data`, so it is left out of the union.)
 */
export type CourierWebhookEvent =
  | { type: "message:updated"; data: components["schemas"]["MessageDetails"] & Record<string, unknown> }
  | {
      type:
        | "notification:submitted"
        | "notification:submission_canceled"
        | "notification:published"
        | "audiences:updated"
        | "audiences:user:matched"
        | "audiences:user:unmatched"
        | "audiences:calculated";
      data: Record<string, unknown>;
    };

/** The header Courier signs deliveries with. */
export const SIGNATURE_HEADER = "courier-signature";

/** The configuration error for a missing or empty webhook secret (thrown at setup, never per request). */
function assertSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== "string" || secret === "") {
    throw new TypeError(
      "courierWebhook() needs the webhook signing secret from Courier's webhook settings; it is missing or empty",
    );
  }
}

/**
 * The `courier-signature` header value for a payload, as Courier computes it:
 * `t=<timestamp>,signature=<hex HMAC-SHA256(secret, timestamp + "." + payload)>`. Use it to sign test
 * deliveries for your own webhook endpoint.
 *
 * @param payload - the exact raw body that will be sent (a string or the bytes), not a parsed object.
 * @param secret - the webhook signing secret; an empty one throws.
 * @param timestamp - when it was signed, in epoch milliseconds. Default now.
 *
 * @example
 * ```ts
 * import { signCourierPayload } from "@courier-ts/express";
 *
 * const body = JSON.stringify({ type: "message:updated", data: { id: "1-abc", status: "DELIVERED" } });
 * const header = signCourierPayload(body, "whsec_test", Date.now());
 * await fetch("http://127.0.0.1:3000/webhooks/courier", {
 *   method: "POST",
 *   headers: { "content-type": "application/json", "courier-signature": header },
 *   body,
 * });
 * ```
 */
export function signCourierPayload(payload: string | Buffer, secret: string, timestamp: number = Date.now()): string {
  assertSecret(secret);
  const signature = createHmac("sha256", secret).update(`${timestamp}.`).update(payload).digest("hex");
  return `t=${timestamp},signature=${signature}`;
}

/** The outcome of {@link verifyCourierSignature}. */
export type VerifyResult = { ok: true; timestamp: number; signature: string } | { ok: false; reason: string };

/**
 * Verifies a `courier-signature` header over the raw body: HMAC-SHA256 of `t + "." + body`, compared
 * in constant time, with `t` (epoch ms; seconds are accepted too) within `toleranceMs` of now. Never ok
 * for a missing or empty secret.
 *
 * @example
 * ```ts
 * import { verifyCourierSignature } from "@courier-ts/express";
 *
 * declare const rawBody: Buffer;
 * declare const header: string | undefined;
 * const result = verifyCourierSignature(rawBody, header, process.env.COURIER_WEBHOOK_SECRET ?? "");
 * if (!result.ok) console.warn(result.reason);
 * ```
 */
export function verifyCourierSignature(
  payload: string | Buffer,
  header: string | undefined,
  secret: string,
  options: { toleranceMs?: number; now?: number } = {},
): VerifyResult {
  if (typeof secret !== "string" || secret === "") {
    return { ok: false, reason: "no secret configured" };
  }
  if (!header) {
    return { ok: false, reason: "missing signature" };
  }
  let t = "";
  let given = "";
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    const key = part.slice(0, at).trim();
    if (key === "t") {
      t = part.slice(at + 1).trim();
    } else if (key === "signature") {
      given = part.slice(at + 1).trim();
    }
  }
  const time = Number(t);
  if (t === "" || !Number.isFinite(time) || !/^[0-9a-f]{64}$/i.test(given)) {
    return { ok: false, reason: "malformed signature" };
  }
  const expected = createHmac("sha256", secret).update(`${t}.`).update(payload).digest();
  if (!timingSafeEqual(expected, Buffer.from(given, "hex"))) {
    return { ok: false, reason: "signature mismatch" };
  }
  const timestamp = time < 1e12 ? time * 1000 : time;
  if (Math.abs((options.now ?? Date.now()) - timestamp) > (options.toleranceMs ?? 300_000)) {
    return { ok: false, reason: "timestamp outside tolerance" };
  }
  return { ok: true, timestamp, signature: given.toLowerCase() };
}

/** Options of {@link courierWebhook}. */
export interface WebhookOptions {
  /** The signing secret from Courier's webhook settings. Missing or empty throws when the middleware is created. */
  secret: string;
  /** Handles a verified event; throwing answers 500 (JSON) so that Courier retries. */
  onEvent: (event: CourierWebhookEvent, req: Request) => void | Promise<void>;
  /** Accepted clock difference in ms. Default 5 minutes. */
  toleranceMs?: number;
  /**
   * Remembers accepted deliveries (for twice `toleranceMs`) to refuse replays. Default: in memory, which
   * protects a single instance only; with several instances pass a shared store, e.g. `createRedisStore`
   * from `@courier-ts/express/redis`.
   */
  replayStore?: ReplayStore;
  /** Deliveries the default in-memory store remembers. Default 10,000. */
  replayCacheSize?: number;
  /** How long a `replayStore` call may take, in ms; then the answer is 500 and Courier retries. Default 5,000. */
  storeTimeoutMs?: number;
  /** Largest body accepted, in bytes; larger is 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Errors behind a 500 answer (a throwing `onEvent`, an unreachable replay store), for your logs. */
  onError?: (error: unknown, req: Request) => void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

async function rawBody(req: Request, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) {
    if (req.body.length > limit) {
      throw new HttpError(413, "Payload Too Large", "invalid_request_error");
    }
    return req.body;
  }
  if (req.readableEnded || (req.body !== undefined && typeof req.body === "object" && req.body !== null)) {
    throw new Error("courierWebhook() needs the raw body: mount it before express.json()");
  }
  if (Number(req.headers["content-length"] ?? 0) > limit) {
    throw new HttpError(413, "Payload Too Large", "invalid_request_error");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new HttpError(413, "Payload Too Large", "invalid_request_error");
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Receives Courier's outbound webhooks: verifies the signature over the raw body, refuses bad, stale
 * and replayed deliveries with 401, and hands each typed event to `onEvent`. Every answer is JSON.
 * A missing or empty `secret` throws here, at setup.
 *
 * @example
 * ```ts
 * import { courierWebhook } from "@courier-ts/express";
 * import express from "express";
 *
 * declare function markDelivered(messageId: string): Promise<void>;
 *
 * const app = express();
 * app.post("/webhooks/courier", courierWebhook({
 *   secret: process.env.COURIER_WEBHOOK_SECRET ?? "",
 *   onEvent: async (event) => {
 *     if (event.type === "message:updated") await markDelivered(event.data.id);
 *   },
 * }));
 * ```
 */
export function courierWebhook(options: WebhookOptions): RequestHandler {
  assertSecret(options?.secret);
  if (typeof options.onEvent !== "function") {
    throw new TypeError("courierWebhook() needs an onEvent handler");
  }
  const { secret, onEvent, onError } = options;
  const toleranceMs = options.toleranceMs ?? 300_000;
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const store = options.replayStore ?? createMemoryStore({ maxEntries: options.replayCacheSize ?? 10_000 });
  const replayKey = (signature: string) => `webhook:${signature}`;
  const storeTimeoutMs = options.storeTimeoutMs ?? 5_000;

  const answer = (res: Response, status: number, message: string, type: string) => {
    if (!res.headersSent) {
      res.status(status).json({ message, type });
    }
  };

  return async (req: Request, res: Response, _next: NextFunction) => {
    let claimed: string | undefined;
    try {
      const body = await rawBody(req, limit);
      const result = verifyCourierSignature(body, req.get(SIGNATURE_HEADER), secret, { toleranceMs });
      if (!result.ok) {
        answer(res, 401, `Invalid webhook: ${result.reason}`, "authentication_error");
        return;
      }
      let event: CourierWebhookEvent;
      try {
        event = JSON.parse(body.toString("utf8")) as CourierWebhookEvent;
      } catch {
        answer(res, 400, "Malformed JSON body", "invalid_request_error");
        return;
      }
      if (typeof event !== "object" || event === null || typeof event.type !== "string") {
        answer(res, 400, "An event needs a string `type`", "invalid_request_error");
        return;
      }
      // Claimed atomically: two instances receiving the same delivery at once cannot both accept it.
      const key = replayKey(result.signature);
      if (!(await withTimeout(store.claim(key, 2 * toleranceMs), storeTimeoutMs, "replayStore.claim()"))) {
        answer(res, 401, "Invalid webhook: replayed delivery", "authentication_error");
        return;
      }
      claimed = key;
      await onEvent(event, req);
      claimed = undefined;
      res.status(200).json({ received: true });
    } catch (error) {
      if (claimed !== undefined && store.release) {
        // Let Courier's retry of this delivery through.
        await withTimeout(store.release(claimed), storeTimeoutMs, "replayStore.release()").catch(() => undefined);
      }
      if (error instanceof HttpError) {
        answer(res, error.status, error.message, error.type);
        return;
      }
      try {
        onError?.(error, req);
      } catch {
        // A logging hook that throws must not change the answer.
      }
      answer(res, 500, "Webhook handler failed", "api_error");
    }
  };
}
