/**
 * Message lifecycle, computed from the clock rather than timers: a message is ENQUEUED until it may be
 * delivered, SENT one step later, then DELIVERED (or UNDELIVERABLE when the recipient has no address),
 * unless it was CANCELED first. Nothing runs in the background, so the emulator never leaks timers.
 */
import type { components } from "@courier-ts/core";
import { Ring } from "./ring.js";
import { type Json, type Store, slot } from "./store.js";

type MessageDetails = components["schemas"]["MessageDetails"];

/**
 * A message, as `messagesOf(state)` holds it; its status is computed from the clock (see `timeline`).
 *
 * @example
 * ```ts
 * expect(messagesOf(emulator.state).get(requestId)).toMatchObject({ recipient: "alice", template: "WELCOME" });
 * ```
 */
export interface MessageRecord {
  id: string;
  /** Position in the message log: later messages have larger numbers. */
  seq: number;
  requestId: string;
  /** user id, email or phone number the message went to. */
  recipient: string;
  userId?: string;
  event: string;
  notification: string;
  template?: string;
  content?: unknown;
  data: Json;
  channels: string[];
  tags: string[];
  tenantId?: string;
  traceId?: string;
  listId?: string;
  enqueued: number;
  /** When delivery may start (after `message.delay` or an automation delay). */
  deliverAt: number;
  deliverable: boolean;
  /** Set when the recipient's preferences filter the message out: it ends FILTERED with this reason. */
  filtered?: "UNSUBSCRIBED" | "OPT_IN_REQUIRED";
  canceledAt?: number;
  archived: boolean;
  /** How the message was created: `send`, `bulk`, `automation`, `resend`. */
  source: string;
}

/**
 * The messages, oldest first, capped at `retention.messages` (the oldest is evicted first, with its
 * place in the request index). Each message has a sequence number, so that a listing cursor points into
 * the log and a page costs O(page) however many messages are stored.
 */
export class MessageLog {
  /**
   * requestId → its only message id (most requests have one, and then the id is the request id: no extra
   * object), or the ids of its messages (evicted ones included) with how many are still stored.
   */
  private requests = new Map<string, string | { ids: string[]; live: number }>();
  private byId = new Map<string, MessageRecord>();
  private ring = new Ring<MessageRecord>();

  constructor(readonly cap: number) {}

  get size(): number {
    return this.byId.size;
  }

  /** The sequence number the next message gets. */
  get nextSeq(): number {
    return this.ring.nextSeq;
  }

  /** Requests with at least one message still stored. */
  get requestCount(): number {
    return this.requests.size;
  }

  /** The ids of the messages a request made (some may have been evicted since), or undefined. */
  messagesOfRequest(requestId: string): readonly string[] | undefined {
    const request = this.requests.get(requestId);
    return typeof request === "string" ? [request] : request?.ids;
  }

  /** The message with this id, unless evicted. */
  get(id: string): MessageRecord | undefined {
    return this.byId.get(id);
  }

  /** Whether a message with this id is stored. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Oldest first. */
  values(): IterableIterator<MessageRecord> {
    return this.byId.values();
  }

  /** The stored messages, oldest first. */
  [Symbol.iterator](): IterableIterator<MessageRecord> {
    return this.byId.values();
  }

  /** Appends a message (replacing one with the same id), evicting the oldest beyond the cap. */
  add(fields: Omit<MessageRecord, "seq" | "archived"> & { archived?: boolean }): MessageRecord {
    const existing = this.byId.get(fields.id);
    if (existing) {
      this.ring.drop(existing.seq);
      this.forget(existing);
    }
    while (this.byId.size >= this.cap) {
      const oldest = this.ring.shift();
      if (!oldest) {
        break;
      }
      this.forget(oldest);
    }
    const message: MessageRecord = { archived: false, ...fields, seq: this.ring.nextSeq };
    this.ring.push(message);
    this.byId.set(message.id, message);
    const request = this.requests.get(message.requestId);
    if (request === undefined) {
      this.requests.set(message.requestId, message.id);
    } else if (typeof request === "string") {
      this.requests.set(message.requestId, { ids: [request, message.id], live: 2 });
    } else {
      request.ids.push(message.id);
      request.live++;
    }
    return message;
  }

  /** Newest first, starting at `fromSeq` (inclusive; default: the newest). */
  newestFirst(fromSeq?: number): Generator<MessageRecord> {
    return this.ring.newestFirst(fromSeq);
  }

  /** Drops every message. */
  clear(): void {
    this.byId.clear();
    this.requests.clear();
    this.ring.clear();
  }

  private forget(message: MessageRecord): void {
    this.byId.delete(message.id);
    const request = this.requests.get(message.requestId);
    if (typeof request === "string" || (request && --request.live === 0)) {
      this.requests.delete(message.requestId);
    }
  }
}

/**
 * The message log.
 *
 * @example
 * ```ts
 * expect(messagesOf(emulator.state).get(requestId)).toMatchObject({ recipient: "alice" });
 * ```
 */
export const messagesOf = slot("messages", (store: Store) => new MessageLog(store.retention.messages));
type MessageStatus = components["schemas"]["MessageStatus"];

export interface Timeline {
  status: MessageStatus;
  sent: number;
  delivered: number;
  events: Array<{ type: string; ts: number }>;
}

export function timeline(m: MessageRecord, now: number, stepMs: number): Timeline {
  const events: Timeline["events"] = [{ type: "ENQUEUED", ts: m.enqueued }];
  const sentAt = m.deliverAt + stepMs;
  const doneAt = m.deliverAt + 2 * stepMs;
  const cut = m.canceledAt ?? Number.POSITIVE_INFINITY;
  let status: MessageStatus = "ENQUEUED";
  let sent = 0;
  let delivered = 0;
  if (m.deliverAt > m.enqueued && m.deliverAt <= Math.min(now, cut)) {
    events.push({ type: "DELAYED", ts: m.enqueued });
  }
  if (m.filtered !== undefined) {
    // Preferences are applied when routing starts; a filtered message never reaches a provider.
    if (m.deliverAt <= now && m.deliverAt < cut) {
      events.push({ type: "FILTERED", ts: m.deliverAt });
      return { status: "FILTERED", sent, delivered, events };
    }
  } else if (m.deliverable && sentAt <= now && sentAt < cut) {
    events.push({ type: "ROUTED", ts: sentAt }, { type: "SENT", ts: sentAt });
    status = "SENT";
    sent = sentAt;
  }
  if (doneAt <= now && doneAt < cut) {
    if (m.deliverable) {
      events.push({ type: "DELIVERED", ts: doneAt });
      status = "DELIVERED";
      delivered = doneAt;
    } else {
      events.push({ type: "UNDELIVERABLE", ts: doneAt });
      status = "UNDELIVERABLE";
    }
  }
  if (m.canceledAt !== undefined && m.canceledAt <= now) {
    events.push({ type: "CANCELED", ts: m.canceledAt });
    status = "CANCELED";
  }
  return { status, sent, delivered, events };
}

/** The message as `GET /messages/{id}` returns it. */
export function details(m: MessageRecord, now: number, stepMs: number): MessageDetails & Record<string, unknown> {
  const t = timeline(m, now, stepMs);
  return {
    id: m.id,
    status: t.status,
    enqueued: m.enqueued,
    sent: t.sent,
    delivered: t.delivered,
    opened: 0,
    clicked: 0,
    recipient: m.recipient,
    event: m.event,
    notification: m.notification,
    ...(t.status === "FILTERED" ? { reason: m.filtered } : {}),
    ...(t.status === "UNDELIVERABLE"
      ? { reason: "NO_CHANNELS" as const, error: "The recipient has no address for any channel" }
      : {}),
    ...(m.canceledAt !== undefined && m.canceledAt <= now ? { canceledAt: m.canceledAt } : {}),
    ...(m.listId ? { list_id: m.listId } : {}),
    tags: m.tags,
    ...(m.tenantId ? { tenant_id: m.tenantId } : {}),
  };
}

/** Whether the message can still be canceled (not yet handed to a provider). */
export function cancelable(m: MessageRecord, now: number, stepMs: number): boolean {
  return timeline(m, now, stepMs).status === "ENQUEUED";
}

/** Records a message; its id defaults to the request id (a single-recipient request). */
export function newMessage(
  store: Store,
  fields: Omit<MessageRecord, "id" | "archived" | "seq"> & { id?: string },
): MessageRecord {
  return messagesOf(store).add({ ...fields, id: fields.id ?? fields.requestId });
}
