/**
 * Message lifecycle, computed from the clock rather than timers: a message is ENQUEUED until it may be
 * delivered, SENT one step later, then DELIVERED (or UNDELIVERABLE when the recipient has no address),
 * unless it was CANCELED first. Nothing runs in the background, so the emulator never leaks timers.
 */
import type { components } from "@courier-ts/core";
import type { MessageRecord, Store } from "./store.js";

type MessageDetails = components["schemas"]["MessageDetails"];
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

/** The id a new message should get: the request id itself for a single-recipient request. */
export function newMessage(
  store: Store,
  fields: Omit<MessageRecord, "id" | "archived"> & { id?: string },
): MessageRecord {
  const message: MessageRecord = { archived: false, ...fields, id: fields.id ?? fields.requestId };
  store.messages.set(message.id, message);
  const ids = store.requests.get(message.requestId) ?? [];
  ids.push(message.id);
  store.requests.set(message.requestId, ids);
  return message;
}
