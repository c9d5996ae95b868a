/**
 * Outbound webhooks: as messages move through their lifecycle, `message:updated` events are POSTed to
 * the configured URL in Courier's format, signed with `courier-signature: t=<ms>,signature=<hex>` where
 * the signature is HMAC-SHA256 of `${t}.${rawBody}` with the webhook secret.
 *
 * Message status is computed from the clock (see `messages.ts`), so a watcher polls: it picks up new
 * messages by their log position and keeps each tracked message in a min-heap on the time of its next
 * status change. Deliveries go out one at a time, in order; a failed one (network error or non-2xx) is
 * retried with exponential backoff, up to `attempts` times. The queue is bounded: when it is full the
 * oldest pending event is dropped (and counted).
 */
import { createHmac } from "node:crypto";
import { Heap } from "heap-js";
import { details, type MessageRecord, messagesOf, timeline } from "./messages.js";
import type { Store } from "./store.js";

/**
 * Where and how to deliver outbound `message:updated` webhooks.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ webhookUrl: "http://127.0.0.1:3000/webhooks/courier", webhookSecret: "whsec_test" });
 * ```
 */
export interface WebhookOptions {
  /** Where events are POSTed. */
  url: string;
  /** The signing secret (required, non-empty). */
  secret: string;
  /** Attempts per event, first one included. Default 5. */
  attempts?: number;
  /** Delay before the first retry, doubled for each next one. Default 500 ms. */
  backoffMs?: number;
  /** Pending events kept at most; the oldest is dropped beyond. Default 10,000. */
  queueLimit?: number;
  /** Per-attempt timeout. Default 10 s. */
  timeoutMs?: number;
}

/** Counters for `emulator.stats().webhooks`. */
export interface WebhookStats {
  /** Events answered with a 2xx. */
  delivered: number;
  /** Attempts that failed (each retry counts). */
  failedAttempts: number;
  /** Events given up after the last attempt. */
  abandoned: number;
  /** Events dropped because the queue was full. */
  dropped: number;
  /** Events waiting or in flight. */
  pending: number;
}

interface Delivery {
  body: string;
  attempt: number;
  /** Not before this time (epoch ms, real clock). */
  due: number;
}

/**
 * The `courier-signature` header value for `body`, as Courier and the emulator sign webhooks:
 * `t=<epoch ms>,signature=<hex HMAC-SHA256 of "t.body">`.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ type: "message:updated", data: { id: "1-abc" } });
 * await fetch(handlerUrl, { method: "POST", body, headers: { "courier-signature": signWebhook(body, secret, Date.now()) } });
 * ```
 */
export function signWebhook(body: string, secret: string, timestamp: number): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},signature=${signature}`;
}

export function checkWebhookOptions(options: WebhookOptions): void {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(`webhookUrl "${options.url}" is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("webhookUrl must be an http(s) URL");
  }
  if (typeof options.secret !== "string" || options.secret.trim() === "") {
    throw new TypeError("webhookSecret is required with webhookUrl (Courier signs every webhook)");
  }
}

export class WebhookSender {
  readonly counts = { delivered: 0, failedAttempts: 0, abandoned: 0, dropped: 0 };
  private queue: Delivery[] = [];
  private sending = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private inflight: AbortController | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly queueLimit: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookOptions) {
    checkWebhookOptions(options);
    this.attempts = Math.max(1, options.attempts ?? 5);
    this.backoffMs = Math.max(0, options.backoffMs ?? 500);
    this.queueLimit = Math.max(1, options.queueLimit ?? 10_000);
    this.timeoutMs = Math.max(1, options.timeoutMs ?? 10_000);
  }

  get pending(): number {
    return this.queue.length + (this.sending ? 1 : 0);
  }

  enqueue(event: unknown): void {
    if (this.closed) {
      return;
    }
    if (this.queue.length >= this.queueLimit) {
      this.queue.shift();
      this.counts.dropped++;
    }
    this.queue.push({ body: JSON.stringify(event), attempt: 0, due: 0 });
    this.pump();
  }

  /** Resolves when nothing is pending (retries included). */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops pending events (reset). */
  clear(): void {
    this.queue = [];
    this.inflight?.abort();
    this.settle();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.clear();
  }

  private settle(): void {
    if (this.pending === 0) {
      for (const resolve of this.idleWaiters.splice(0)) {
        resolve();
      }
    }
  }

  private pump(): void {
    if (this.sending || this.closed) {
      return;
    }
    // The next delivery is the one due first (retries wait for their backoff, others go straight out).
    let index = -1;
    for (let i = 0; i < this.queue.length; i++) {
      if (index === -1 || (this.queue[i] as Delivery).due < (this.queue[index] as Delivery).due) {
        index = i;
      }
      if ((this.queue[i] as Delivery).due === 0) {
        index = i;
        break;
      }
    }
    if (index === -1) {
      this.settle();
      return;
    }
    const wait = (this.queue[index] as Delivery).due - Date.now();
    if (wait > 0) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.pump(), wait);
      this.timer.unref();
      return;
    }
    const [delivery] = this.queue.splice(index, 1) as [Delivery];
    this.sending = true;
    this.send(delivery).finally(() => {
      this.sending = false;
      this.pump();
    });
  }

  private async send(delivery: Delivery): Promise<void> {
    delivery.attempt++;
    const controller = new AbortController();
    this.inflight = controller;
    const timeout = setTimeout(() => controller.abort(), this.timeoutMs);
    let ok = false;
    try {
      const response = await fetch(this.options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "courier-emulator",
          "courier-signature": signWebhook(delivery.body, this.options.secret, Date.now()),
        },
        body: delivery.body,
        signal: controller.signal,
        redirect: "manual",
      });
      await response.arrayBuffer().catch(() => undefined);
      ok = response.status >= 200 && response.status < 300;
    } catch {
      ok = false;
    } finally {
      clearTimeout(timeout);
      this.inflight = undefined;
    }
    if (ok) {
      this.counts.delivered++;
      return;
    }
    this.counts.failedAttempts++;
    if (this.closed || controller.signal.aborted) {
      return;
    }
    if (delivery.attempt >= this.attempts) {
      this.counts.abandoned++;
      return;
    }
    delivery.due = Date.now() + this.backoffMs * 2 ** (delivery.attempt - 1);
    this.queue.push(delivery);
  }
}

/**
 * Watches the message log and hands a `message:updated` event to `emit` whenever a message's status
 * changes: when it is recorded (ENQUEUED), SENT, DELIVERED or UNDELIVERABLE, and CANCELED.
 */
/** The statuses a message has reached by `now`, in order, each with its time. */
function reached(m: MessageRecord, now: number, stepMs: number): Array<{ status: string; at: number }> {
  return timeline(m, now, stepMs)
    .events.filter((e) => STATUSES.has(e.type))
    .map((e) => ({ status: e.type, at: e.ts }));
}
const STATUSES = new Set(["ENQUEUED", "SENT", "DELIVERED", "UNDELIVERABLE", "CANCELED"]);

/**
 * Watches the message log and hands a `message:updated` event to `emit` for every status a message
 * reaches (ENQUEUED, SENT, DELIVERED or UNDELIVERABLE, CANCELED), in order, each with the message as it
 * was at that moment, even when a poll comes late and finds several steps done.
 */
export class LifecycleWatcher {
  private nextSeq = 0;
  private due = new Heap<{ at: number; message: MessageRecord; emitted: number }>((a, b) => a.at - b.at);

  constructor(
    private readonly stepMs: number,
    private readonly emit: (event: unknown) => void,
  ) {}

  reset(): void {
    this.nextSeq = 0;
    this.due.clear();
  }

  poll(store: Store, now: number): void {
    const log = messagesOf(store);
    if (this.nextSeq > log.nextSeq) {
      this.reset();
    }
    // New messages since the last poll, oldest first.
    const fresh: MessageRecord[] = [];
    for (const m of log.newestFirst()) {
      if (m.seq < this.nextSeq) {
        break;
      }
      fresh.push(m);
    }
    this.nextSeq = log.nextSeq;
    for (const m of fresh.reverse()) {
      this.update(m, 0, now);
    }
    for (let next = this.due.peek(); next && next.at <= now; next = this.due.peek()) {
      this.due.pop();
      if (log.get(next.message.id) === next.message) {
        this.update(next.message, next.emitted, now);
      }
    }
  }

  private update(m: MessageRecord, emitted: number, now: number): void {
    const statuses = reached(m, now, this.stepMs);
    for (const { at } of statuses.slice(emitted)) {
      this.emit({ type: "message:updated", data: details(m, at, this.stepMs) });
    }
    const last = statuses.at(-1)?.status;
    if (last === "DELIVERED" || last === "UNDELIVERABLE" || last === "CANCELED") {
      return;
    }
    // Check again at the next step, or sooner (one step) while a cancel may still come.
    const sentAt = m.deliverAt + this.stepMs;
    const doneAt = m.deliverAt + 2 * this.stepMs;
    const at = now < sentAt ? Math.min(sentAt, now + this.stepMs) : Math.max(doneAt, now + 1);
    this.due.push({ at, message: m, emitted: statuses.length });
  }
}
