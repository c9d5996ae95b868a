/**
 * `POST /send` semantics shared by send, bulk and automations: expands `message.to` into one message
 * per recipient and records them.
 */
import { badRequest } from "./errors.js";
import { inAudience } from "./filters.js";
import { audiencesOf } from "./handlers/audiences.js";
import { listsOf } from "./handlers/lists.js";
import { profilesOf } from "./handlers/profiles.js";
import { routeByPreferences } from "./handlers/userPreferences.js";
import { type MessageRecord, newMessage } from "./messages.js";
import { compilePattern } from "./patterns.js";
import type { Json, Store } from "./store.js";

interface Target {
  recipient: string;
  userId?: string;
  deliverable: boolean;
  listId?: string;
  data?: Json;
}

export interface SendInput {
  to?: unknown;
  template?: string | null;
  content?: unknown;
  data?: Json | null;
  channels?: string[];
  routing?: { channels?: unknown[] } | null;
  delay?: { duration?: number | null; until?: string | null } | null;
  metadata?: { event?: string | null; tags?: string[] | null; trace_id?: string | null } | null;
  context?: { tenant_id?: string | null } | null;
  preferences?: { subscription_topic_id?: string | null } | null;
}

const NO_DATA: Json = Object.freeze({}) as Json;
const NONE: string[] = Object.freeze([]) as unknown as string[];

function hasAddress(profile: Json | undefined): boolean {
  return !!profile && (typeof profile.email === "string" || typeof profile.phone_number === "string");
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Expands one `to` entry into its recipients. */
function expand(store: Store, to: Json, out: Target[]): void {
  const data = isObject(to.data) ? to.data : undefined;
  if (typeof to.user_id === "string" || typeof to.email === "string" || typeof to.phone_number === "string") {
    if (typeof to.tenant_id === "string" && typeof to.user_id === "string") {
      throw badRequest("message.to cannot combine user_id with tenant_id; use to.context.tenant_id");
    }
    const userId = typeof to.user_id === "string" ? to.user_id : undefined;
    const stored = userId ? profilesOf(store).get(userId)?.profile : undefined;
    out.push({
      recipient: userId ?? (to.email as string | undefined) ?? (to.phone_number as string),
      userId,
      deliverable: typeof to.email === "string" || typeof to.phone_number === "string" || hasAddress(stored),
      data,
    });
    return;
  }
  const listIds: string[] = [];
  if (typeof to.list_id === "string") {
    const list = listsOf(store).lists.get(to.list_id);
    if (!list || list.deleted) {
      throw badRequest(`List "${to.list_id}" does not exist`);
    }
    listIds.push(to.list_id);
  } else if (typeof to.list_pattern === "string") {
    const test = compilePattern(to.list_pattern);
    for (const list of listsOf(store).lists.values()) {
      if (!list.deleted && test(list.id)) {
        listIds.push(list.id);
      }
    }
  } else if (typeof to.audience_id === "string") {
    const audience = audiencesOf(store).get(to.audience_id);
    if (!audience) {
      throw badRequest(`Audience "${to.audience_id}" does not exist`);
    }
    for (const [userId, record] of profilesOf(store)) {
      if (inAudience(audience, userId, record.profile)) {
        out.push({ recipient: userId, userId, deliverable: hasAddress(record.profile), data });
      }
    }
    return;
  } else {
    throw badRequest("message.to must name a user_id, email, phone_number, list_id, list_pattern or audience_id");
  }
  for (const listId of listIds) {
    for (const sub of listsOf(store).subscribersOf(listId)) {
      out.push({
        recipient: sub.recipientId,
        userId: sub.recipientId,
        deliverable: hasAddress(profilesOf(store).get(sub.recipientId)?.profile),
        listId,
        data,
      });
    }
  }
}

/** Parses `delay.until` (ISO 8601, also the basic format `20240408T080910.123`) to epoch ms. */
export function parseUntil(until: string): number | undefined {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(until);
  const iso = basic
    ? `${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6]}${basic[7] ?? ""}${basic[8] ?? "Z"}`
    : until;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

export function validateMessage(message: SendInput): void {
  const hasTemplate = typeof message.template === "string" && message.template !== "";
  const hasContent = message.content !== undefined && message.content !== null;
  if (hasTemplate === hasContent) {
    throw badRequest(
      hasTemplate
        ? "Invalid Request. Either 'content' or 'template' may be defined, but not both."
        : "Invalid Request. Either 'content' or 'template' must be defined.",
    );
  }
  if (message.to === undefined || message.to === null) {
    throw badRequest("Invalid Request. 'message.to' is required.");
  }
}

/** Records the messages of one send request and returns their ids (deduplicated recipients). */
export function recordSend(
  store: Store,
  message: SendInput,
  options: { requestId: string; now: number; source: string; notBefore?: number; event?: string },
): MessageRecord[] {
  const entries = Array.isArray(message.to) ? message.to : [message.to];
  const targets: Target[] = [];
  for (const entry of entries) {
    if (!isObject(entry)) {
      throw badRequest("message.to entries must be objects");
    }
    expand(store, entry, targets);
  }
  const seen = new Set<string>();
  const unique = targets.filter((t) => !seen.has(t.recipient) && seen.add(t.recipient));
  let deliverAt = Math.max(options.now, options.notBefore ?? 0);
  if (message.delay?.duration) {
    // Courier rounds delays up to the next minute.
    deliverAt += Math.ceil(message.delay.duration / 60_000) * 60_000;
  } else if (message.delay?.until) {
    deliverAt = Math.max(deliverAt, parseUntil(message.delay.until) ?? deliverAt);
  }
  const template = message.template ?? undefined;
  const event = options.event ?? message.metadata?.event ?? template ?? "inline-content";
  const channels = (message.routing?.channels ?? message.channels ?? []).filter(
    (c): c is string => typeof c === "string",
  );
  const single = unique.length === 1;
  return unique.map((target, index) => {
    // The user's preferences for the message's topic may filter it out or pick its channels
    // (handlers/userPreferences.ts holds the rules).
    const routed = routeByPreferences(store, {
      userId: target.userId,
      tenantId: message.context?.tenant_id ?? undefined,
      topicId: message.preferences?.subscription_topic_id ?? undefined,
      notification: template ?? event,
      channels,
    });
    return newMessage(store, {
      id: single ? options.requestId : `${options.requestId}-${index + 1}`,
      requestId: options.requestId,
      recipient: target.recipient,
      userId: target.userId,
      event,
      notification: template ?? "inline-content",
      template,
      content: message.content,
      // Shared between the messages of a request unless a recipient brings its own data: stored messages
      // are never mutated, and a million of them should not carry a million copies.
      data: target.data ? { ...(message.data ?? {}), ...target.data } : (message.data ?? NO_DATA),
      channels: routed.channels.length > 0 ? routed.channels : NONE,
      tags: message.metadata?.tags ?? NONE,
      tenantId: message.context?.tenant_id ?? undefined,
      traceId: message.metadata?.trace_id ?? undefined,
      listId: target.listId,
      enqueued: options.now,
      deliverAt,
      deliverable: target.deliverable,
      ...(routed.filtered ? { filtered: routed.filtered } : {}),
      source: options.source,
    });
  });
}
