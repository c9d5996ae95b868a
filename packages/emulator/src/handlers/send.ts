import { notFound } from "../errors.js";
import { cancelable, details, type MessageRecord, messagesOf, newMessage, timeline } from "../messages.js";
import { decodeCursor, encodeCursor, PAGE_SIZE } from "../paging.js";
import { route } from "../router.js";
import { recordSend, type SendInput, validateMessage } from "../send.js";
import type { Store } from "../store.js";
import { profilesOf } from "./profiles.js";

function message(store: Store, id: string): MessageRecord {
  const found = messagesOf(store).get(id);
  if (!found) {
    throw notFound("Message Not Found");
  }
  return found;
}

export const sendRoutes = [
  route("post", "/send", ({ body, store, now }) => {
    const input = body.message as SendInput;
    validateMessage(input);
    const requestId = store.nextId(now);
    recordSend(store, input, { requestId, now, source: "send" });
    store.recordEffect("POST /send");
    return { status: 202, body: { requestId } };
  }),

  // A dry run of routing for an event: nothing is sent.
  route("post", "/send/{event}/routing", ({ params, body, store, env }) => {
    const channels = env.events.get(params.event ?? "");
    const results = (body.recipients ?? []).map((r) => {
      const recipient = r.recipient ?? "";
      if (!channels) {
        return [{ recipient, routing: { reason: "UNMAPPED", selected: false } }];
      }
      const profile = { ...profilesOf(store).get(recipient)?.profile, ...(r.profile ?? {}) };
      const has = (channel: string) =>
        channel === "email"
          ? typeof profile.email === "string"
          : channel === "sms"
            ? typeof profile.phone_number === "string"
            : true;
      const channelsSummary = channels.map((channel) => ({
        channel,
        selected: has(channel),
        type: "always",
        ...(has(channel) ? {} : { reason: "INCOMPLETE_PROFILE_DATA" }),
      }));
      return [
        {
          recipient,
          routing: {
            selected: channelsSummary.some((c) => c.selected),
            channelsSummary,
            preferences: { categories: {}, notifications: {} },
          },
        },
      ];
    });
    return { status: 200, body: { results } };
  }),

  // Newest first. The cursor is a position in the message log, and filters scan only until the page
  // (plus one look-ahead match) is full, so a page costs O(page), not O(messages stored).
  route("get", "/messages", ({ query, store, now, env }) => {
    const log = messagesOf(store);
    const statuses = query.getAll("status");
    const tags = [...query.getAll("tag"), ...(query.get("tags")?.split(",") ?? [])].filter(Boolean);
    const archived = query.get("archived") === "true";
    const enqueuedAfter = query.has("enqueued_after") ? Number(query.get("enqueued_after")) : undefined;
    const eq = (value: string | undefined, key: string) => !query.has(key) || value === query.get(key);
    const matches = (m: MessageRecord) =>
      (archived || !m.archived) &&
      eq(m.recipient, "recipient") &&
      eq(m.listId, "list") &&
      eq(m.event, "event") &&
      eq(m.notification, "notification") &&
      eq(m.tenantId, "tenant_id") &&
      eq(m.traceId, "traceId") &&
      tags.every((t) => m.tags.includes(t)) &&
      (enqueuedAfter === undefined || !(m.enqueued <= enqueuedAfter)) &&
      (statuses.length === 0 || statuses.includes(timeline(m, now, env.stepMs).status));
    const byId = query.get("messageId");
    const candidates: Iterable<MessageRecord> =
      byId !== null
        ? [log.get(byId)].filter((m): m is MessageRecord => m !== undefined)
        : log.newestFirst(query.get("cursor") ? decodeCursor("m", query.get("cursor") ?? "") : undefined);
    const results: ReturnType<typeof details>[] = [];
    let next: number | undefined;
    for (const m of candidates) {
      if (!matches(m)) {
        continue;
      }
      if (results.length === PAGE_SIZE) {
        next = m.seq;
        break;
      }
      results.push(details(m, now, env.stepMs));
    }
    const paging = { cursor: next === undefined ? null : encodeCursor("m", next), more: next !== undefined };
    return { status: 200, body: { results, paging } };
  }),

  route("get", "/messages/{message_id}", ({ params, store, now, env }) => ({
    status: 200,
    body: details(message(store, params.message_id ?? ""), now, env.stepMs),
  })),

  route("get", "/messages/{message_id}/history", ({ params, query, store, now, env }) => {
    const m = message(store, params.message_id ?? "");
    const type = query.get("type");
    const results = timeline(m, now, env.stepMs)
      .events.filter((e) => !type || e.type === type)
      .map((e) => ({
        ...e,
        ...(e.type === "ENQUEUED" ? { event: m.event, recipient: m.recipient, data: m.data } : {}),
      }));
    return { status: 200, body: { results } };
  }),

  route("get", "/messages/{message_id}/output", ({ params, store, now, env }) => {
    const m = message(store, params.message_id ?? "");
    if (timeline(m, now, env.stepMs).sent === 0) {
      return { status: 200, body: { results: [] } };
    }
    const content = (typeof m.content === "object" && m.content !== null ? m.content : {}) as Record<string, unknown>;
    const show = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
    const fill = (text: string) =>
      text.replace(/\{(\w+)\}/g, (all, key: string) => (Object.hasOwn(m.data, key) ? show(m.data[key]) : all));
    const title = fill(typeof content.title === "string" ? content.title : (m.template ?? ""));
    const text = fill(typeof content.body === "string" ? content.body : show(m.data));
    const results = (m.channels.length > 0 ? m.channels : ["email"]).map((channel) => ({
      channel,
      channel_id: `${channel}-emulator`,
      content: { html: `<p>${text}</p>`, title, body: text, subject: title, text, blocks: [] },
    }));
    return { status: 200, body: { results } };
  }),

  // 200 with the canceled record while the message is still enqueued; 409 with the record after.
  route("post", "/messages/{message_id}/cancel", ({ params, store, now, env }) => {
    const m = message(store, params.message_id ?? "");
    if (m.canceledAt === undefined && cancelable(m, now, env.stepMs)) {
      m.canceledAt = now;
      return { status: 200, body: details(m, now, env.stepMs) };
    }
    return { status: 409, body: details(m, now, env.stepMs) };
  }),

  route("post", "/messages/{message_id}/resend", ({ params, store, now }) => {
    const original = message(store, params.message_id ?? "");
    const id = store.nextId(now);
    newMessage(store, {
      ...original,
      id,
      requestId: id,
      enqueued: now,
      deliverAt: now,
      canceledAt: undefined,
      source: "resend",
    });
    return { status: 200, body: { messageId: id } };
  }),

  route("put", "/requests/{request_id}/archive", ({ params, store }) => {
    const log = messagesOf(store);
    const ids = log.messagesOfRequest(params.request_id ?? "");
    if (!ids) {
      throw notFound("Request Not Found");
    }
    for (const id of ids) {
      const m = log.get(id);
      if (m) {
        m.archived = true;
      }
    }
    return { status: 204, body: undefined };
  }),
];
