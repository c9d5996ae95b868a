import { createHmac, timingSafeEqual } from "node:crypto";
import type { components } from "@courier-ts/core";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { LruCache } from "./lru.js";

/**
 * The events Courier documents (SEMANTICS §10). Courier may add types: those reach `onEvent` too, so
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

export const SIGNATURE_HEADER = "courier-signature";

/** The `courier-signature` header value for a payload: `t=<epoch ms>,signature=<hex HMAC-SHA256>`. */
export function signCourierPayload(payload: string | Buffer, secret: string, timestamp = Date.now()): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.`).update(payload).digest("hex");
  return `t=${timestamp},signature=${signature}`;
}

export type VerifyResult = { ok: true; timestamp: number; signature: string } | { ok: false; reason: string };

/**
 * Verifies a `courier-signature` header over the raw body: HMAC-SHA256 of `t + "." + body`, compared
 * in constant time, with `t` (epoch ms; seconds are accepted too) within `toleranceMs` of now.
 */
export function verifyCourierSignature(
  payload: string | Buffer,
  header: string | undefined,
  secret: string,
  options: { toleranceMs?: number; now?: number } = {},
): VerifyResult {
  if (!header) {
    return { ok: false, reason: "missing signature" };
  }
  const parts = Object.fromEntries(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  const given = parts.signature ?? "";
  if (!Number.isFinite(t) || !/^[0-9a-f]{64}$/i.test(given)) {
    return { ok: false, reason: "malformed signature" };
  }
  const expected = createHmac("sha256", secret).update(`${parts.t}.`).update(payload).digest();
  if (!timingSafeEqual(expected, Buffer.from(given, "hex"))) {
    return { ok: false, reason: "signature mismatch" };
  }
  const timestamp = t < 1e12 ? t * 1000 : t;
  if (Math.abs((options.now ?? Date.now()) - timestamp) > (options.toleranceMs ?? 300_000)) {
    return { ok: false, reason: "timestamp outside tolerance" };
  }
  return { ok: true, timestamp, signature: given.toLowerCase() };
}

export interface WebhookOptions {
  /** The signing secret from Courier's webhook settings. */
  secret: string;
  /** Handles a verified event; throwing answers 500 so that Courier retries. */
  onEvent: (event: CourierWebhookEvent, req: Request) => void | Promise<void>;
  /** Accepted clock difference in ms. Default 5 minutes. */
  toleranceMs?: number;
  /** Signatures remembered to refuse replays. Default 10,000. */
  replayCacheSize?: number;
}

async function rawBody(req: Request): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) {
    return req.body;
  }
  if (
    req.readableEnded ||
    (req.body !== undefined && typeof req.body === "object" && Object.keys(req.body).length > 0)
  ) {
    throw new Error("courierWebhook() needs the raw body: mount it before express.json()");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 6 * 1024 * 1024) {
      throw Object.assign(new Error("Payload Too Large"), { status: 413 });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Receives Courier's outbound webhooks: verifies the signature over the raw body, refuses bad, stale
 * and replayed deliveries with 401, and hands each typed event to `onEvent`.
 *
 * @example
 * ```ts
 * app.post("/webhooks/courier", courierWebhook({
 *   secret: process.env.COURIER_WEBHOOK_SECRET!,
 *   onEvent: async (event) => { if (event.type === "message:updated") await markDelivered(event.data.id) },
 * }));
 * ```
 */
export function courierWebhook(options: WebhookOptions): RequestHandler {
  const toleranceMs = options.toleranceMs ?? 300_000;
  const seen = new LruCache<string, true>(options.replayCacheSize ?? 10_000, 2 * toleranceMs);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const body = await rawBody(req);
      const header = req.get(SIGNATURE_HEADER);
      const result = verifyCourierSignature(body, header, options.secret, { toleranceMs });
      if (!result.ok) {
        res.status(401).json({ message: `Invalid webhook: ${result.reason}`, type: "authentication_error" });
        return;
      }
      if (seen.get(result.signature)) {
        res.status(401).json({ message: "Invalid webhook: replayed delivery", type: "authentication_error" });
        return;
      }
      let event: CourierWebhookEvent;
      try {
        event = JSON.parse(body.toString("utf8")) as CourierWebhookEvent;
      } catch {
        res.status(400).json({ message: "Malformed JSON body", type: "invalid_request_error" });
        return;
      }
      if (typeof event !== "object" || event === null || typeof event.type !== "string") {
        res.status(400).json({ message: "An event needs a string `type`", type: "invalid_request_error" });
        return;
      }
      seen.set(result.signature, true);
      try {
        await options.onEvent(event, req);
      } catch (error) {
        // Let Courier retry this delivery.
        seen.delete(result.signature);
        throw error;
      }
      res.status(200).json({ received: true });
    } catch (error) {
      next(error);
    }
  };
}
