/**
 * Broadcasts: one message to every member of a list or audience, authored as Elemental content on the
 * broadcast's private template. draft → scheduled (→ draft on cancel) → sent; archiving is a soft delete.
 *
 * A send records one message per member through the send machinery at once. A schedule records them when
 * it is made, each held until `scheduled_to` (so they list as ENQUEUED until then); canceling the
 * schedule cancels them. The broadcast reads `sent` once its scheduled time has passed.
 */
import type { components } from "@courier-ts/core";
import { contentView, copyContent, mutationView, newContent, type StoredContent } from "../elemental.js";
import { badRequest, conflict, notFound } from "../errors.js";
import { limitOf } from "../listing.js";
import { messagesOf } from "../messages.js";
import { page } from "../paging.js";
import { route } from "../router.js";
import { recordSend } from "../send.js";
import { type Store, slot } from "../store.js";
import { audiencesOf } from "./audiences.js";
import { listsOf } from "./lists.js";

type Broadcast = components["schemas"]["Broadcast"];
type Schedule = components["schemas"]["BroadcastSchedule"];

interface BroadcastRecord {
  id: string;
  channel: Broadcast["channel"];
  name: string;
  created: number;
  updated: number;
  archived?: number;
  /** Set when sent now, or when a schedule's time has come (see `status`). */
  sentAt?: number;
  schedule?: Schedule & { at: number; messageIds: string[] };
  draft: StoredContent;
  published?: StoredContent;
}

/** The identity the emulator records as creator/updater (Courier records the API key's user). */
const ACTOR = "api";
const MAX_LIMIT = 100;

const broadcasts = slot("broadcasts", () => new Map<string, BroadcastRecord>());

function status(b: BroadcastRecord, now: number): Broadcast["status"] {
  if (b.sentAt !== undefined && b.sentAt <= now) {
    return "sent";
  }
  return b.schedule ? "scheduled" : "draft";
}

function view(b: BroadcastRecord, now: number): Broadcast {
  const { at: _at, messageIds: _ids, ...schedule } = b.schedule ?? { at: 0, messageIds: [] };
  return {
    id: b.id,
    channel: b.channel,
    name: b.name,
    status: status(b, now),
    created_at: new Date(b.created).toISOString(),
    created_by: ACTOR,
    updated_at: new Date(b.updated).toISOString(),
    updated_by: ACTOR,
    ...(b.schedule ? { schedule: schedule as Schedule } : {}),
    ...(b.archived === undefined ? {} : { archived_at: new Date(b.archived).toISOString(), archived_by: ACTOR }),
  };
}

/** A live (not archived) broadcast, or 404. */
function find(store: Store, id: string): BroadcastRecord {
  const found = broadcasts(store).get(id);
  if (!found || found.archived !== undefined) {
    throw notFound(`Broadcast "${id}" not found`);
  }
  return found;
}

function assertEditable(b: BroadcastRecord, now: number, what: string): void {
  const current = status(b, now);
  if (current === "sent" || current === "sending") {
    throw conflict(`A broadcast cannot be ${what} once it is ${current}`);
  }
}

/** The list or audience must exist; answers the `to` of the messages. */
function audienceOf(store: Store, target: { recipient_id: string; recipient_type: "list" | "audience" }) {
  if (target.recipient_type === "list") {
    const list = listsOf(store).lists.get(target.recipient_id);
    if (!list || list.deleted) {
      throw notFound(`List "${target.recipient_id}" not found`);
    }
    return { list_id: target.recipient_id };
  }
  if (!audiencesOf(store).has(target.recipient_id)) {
    throw notFound(`Audience "${target.recipient_id}" not found`);
  }
  return { audience_id: target.recipient_id };
}

/** Publishes the draft and records the broadcast's messages, held until `at`. */
function dispatch(
  store: Store,
  b: BroadcastRecord,
  target: { recipient_id: string; recipient_type: "list" | "audience" },
  now: number,
  at: number,
): string[] {
  const to = audienceOf(store, target);
  b.published = copyContent(b.draft);
  const requestId = store.nextId(now);
  const messages = recordSend(
    store,
    { to, content: { version: b.published.version, elements: b.published.elements }, channels: [b.channel] },
    { requestId, now, notBefore: at, source: "broadcast", event: b.id },
  );
  return messages.map((m) => m.id);
}

function cancelSchedule(store: Store, b: BroadcastRecord, now: number): void {
  for (const id of b.schedule?.messageIds ?? []) {
    const message = messagesOf(store).get(id);
    if (message && message.canceledAt === undefined) {
      message.canceledAt = now;
    }
  }
  b.schedule = undefined;
  b.sentAt = undefined;
}

export const broadcastRoutes = [
  route("post", "/broadcasts", ({ body, store, now }) => {
    if (body.name.trim() === "") {
      throw badRequest("name must not be empty");
    }
    const b: BroadcastRecord = {
      id: store.nextId(now),
      channel: body.channel,
      name: body.name,
      created: now,
      updated: now,
      draft: newContent(),
    };
    broadcasts(store).set(b.id, b);
    return { status: 200, body: view(b, now) };
  }),

  // Newest first; archived broadcasts are left out.
  route("get", "/broadcasts", ({ query, store, now }) => {
    const live = [...broadcasts(store).values()].filter((b) => b.archived === undefined).reverse();
    const { items, paging } = page(live, query.get("cursor"), limitOf(query, MAX_LIMIT, 20, "clamp"));
    return { status: 200, body: { results: items.map((b) => view(b, now)), paging } };
  }),

  route("get", "/broadcasts/{broadcastId}", ({ params, store, now }) => {
    return { status: 200, body: view(find(store, params.broadcastId ?? ""), now) };
  }),

  route("put", "/broadcasts/{broadcastId}", ({ params, body, store, now }) => {
    const b = find(store, params.broadcastId ?? "");
    if (body.name.trim() === "") {
      throw badRequest("name must not be empty");
    }
    b.name = body.name;
    b.updated = now;
    return { status: 200, body: view(b, now) };
  }),

  // Archive (soft delete): answers the archived broadcast; it then 404s and leaves the list.
  route("delete", "/broadcasts/{broadcastId}", ({ params, store, now }) => {
    const b = find(store, params.broadcastId ?? "");
    if (status(b, now) === "scheduled") {
      cancelSchedule(store, b, now);
    }
    b.archived = now;
    b.updated = now;
    return { status: 200, body: view(b, now) };
  }),

  route("post", "/broadcasts/{broadcastId}/cancel", ({ params, store, now }) => {
    const b = find(store, params.broadcastId ?? "");
    if (status(b, now) !== "scheduled") {
      throw conflict(`Only a scheduled broadcast can be canceled (this one is ${status(b, now)})`);
    }
    cancelSchedule(store, b, now);
    b.updated = now;
    return { status: 200, body: view(b, now) };
  }),

  route("post", "/broadcasts/{broadcastId}/duplicate", ({ params, store, now }) => {
    const source = find(store, params.broadcastId ?? "");
    const copy: BroadcastRecord = {
      id: store.nextId(now),
      channel: source.channel,
      name: `${source.name} (copy)`,
      created: now,
      updated: now,
      draft: copyContent(source.draft),
    };
    broadcasts(store).set(copy.id, copy);
    return { status: 200, body: view(copy, now) };
  }),

  // The working draft by default; `?version=published` for what was last sent or scheduled.
  route("get", "/broadcasts/{broadcastId}/content", ({ params, query, store }) => {
    const b = find(store, params.broadcastId ?? "");
    const version = query.get("version") ?? "draft";
    if (version !== "draft" && version !== "published") {
      throw badRequest('version must be "draft" or "published"');
    }
    const content = version === "draft" ? b.draft : b.published;
    if (!content) {
      throw notFound("This broadcast has no published content");
    }
    return { status: 200, body: contentView(content) };
  }),

  route("put", "/broadcasts/{broadcastId}/content", ({ params, body, store, now }) => {
    const b = find(store, params.broadcastId ?? "");
    assertEditable(b, now, "edited");
    b.draft = newContent(body.content);
    b.updated = now;
    return { status: 200, body: mutationView(b.id, b.draft, body.state ?? "DRAFT") };
  }),

  route("post", "/broadcasts/{broadcastId}/schedule", ({ params, body, store, now }) => {
    const b = find(store, params.broadcastId ?? "");
    assertEditable(b, now, "scheduled");
    const at = Date.parse(body.scheduled_to);
    if (Number.isNaN(at)) {
      throw badRequest("scheduled_to must be an ISO 8601 date-time");
    }
    if (at <= now) {
      throw badRequest("scheduled_to must be in the future");
    }
    if (b.schedule) {
      cancelSchedule(store, b, now);
    }
    const messageIds = dispatch(store, b, body, now, at);
    b.schedule = {
      recipient_id: body.recipient_id,
      recipient_type: body.recipient_type,
      scheduled_to: new Date(at).toISOString(),
      timezone: body.timezone ?? null,
      at,
      messageIds,
    };
    b.sentAt = at;
    b.updated = now;
    return { status: 200, body: view(b, now) };
  }),

  route("post", "/broadcasts/{broadcastId}/send", ({ params, body, store, now }) => {
    const b = find(store, params.broadcastId ?? "");
    assertEditable(b, now, "sent");
    if (b.schedule) {
      cancelSchedule(store, b, now);
    }
    dispatch(store, b, body, now, now);
    b.sentAt = now;
    b.updated = now;
    return { status: 200, body: view(b, now) };
  }),
];
