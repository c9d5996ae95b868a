/**
 * Users' preferences for the workspace's subscription topics, and how a send honours them.
 *
 * A user's status for a topic is their own choice, else the topic's `default_status`; a REQUIRED topic is
 * always REQUIRED (a user cannot opt out of it). With `?tenant_id=`, choices are kept for that tenant and
 * fall back to the user's choice without a tenant.
 */
import type { components } from "@courier-ts/core";
import { badRequest, HttpError, notFound } from "../errors.js";
import { type RequestBody, route } from "../router.js";
import { isObject, SeedError, type SeedModule, seedError } from "../seed.js";
import { type Store, slot } from "../store.js";
import { validateBody } from "../validate.js";
import {
  allTopics,
  type Channel,
  loadSections,
  sectionOf,
  type TopicRecord,
  topicById,
  topicForNotification,
} from "./preferences.js";

type PreferenceStatus = components["schemas"]["PreferenceStatus"];
type Update = components["schemas"]["UsersTopicPreferenceUpdate"];
type BulkTopic = NonNullable<RequestBody<"/users/{user_id}/preferences", "post">>["topics"][number];

interface Choice {
  status: PreferenceStatus;
  has_custom_routing: boolean;
  custom_routing: Channel[];
}

/** user id → tenant id ("" for none) → topic id → the user's choice. Nested maps, so no id can collide. */
const choices = slot("userPreferences", () => new Map<string, Map<string, Map<string, Choice>>>());

function choicesOf(store: Store, userId: string, tenantId: string): Map<string, Choice> | undefined {
  return choices(store).get(userId)?.get(tenantId);
}

function writableChoicesOf(store: Store, userId: string, tenantId: string): Map<string, Choice> {
  const byUser = choices(store);
  let byTenant = byUser.get(userId);
  if (!byTenant) {
    byTenant = new Map();
    byUser.set(userId, byTenant);
  }
  let byTopic = byTenant.get(tenantId);
  if (!byTopic) {
    byTopic = new Map();
    byTenant.set(tenantId, byTopic);
  }
  return byTopic;
}

/** Drops a user's empty choice set, so deleted choices leave nothing behind. */
function forget(store: Store, userId: string, tenantId: string): void {
  const byTenant = choices(store).get(userId);
  byTenant?.delete(tenantId);
  if (byTenant?.size === 0) {
    choices(store).delete(userId);
  }
}

function choiceFor(store: Store, userId: string, tenantId: string, topicId: string): Choice | undefined {
  return (
    (tenantId ? choicesOf(store, userId, tenantId)?.get(topicId) : undefined) ??
    choicesOf(store, userId, "")?.get(topicId)
  );
}

function statusOf(topic: TopicRecord, choice: Choice | undefined): PreferenceStatus {
  return topic.default_status === "REQUIRED" ? "REQUIRED" : (choice?.status ?? topic.default_status);
}

function view(store: Store, topic: TopicRecord, choice: Choice | undefined) {
  const section = sectionOf(store, topic);
  return {
    topic_id: topic.id,
    topic_name: topic.name,
    section_id: topic.sectionId,
    section_name: section?.name ?? "",
    status: statusOf(topic, choice),
    default_status: topic.default_status,
    has_custom_routing: choice?.has_custom_routing ?? false,
    custom_routing: choice?.custom_routing ?? [],
  };
}

function tenantOf(query: URLSearchParams): string {
  return query.get("tenant_id") ?? "";
}

function knownTopic(store: Store, topicId: string): TopicRecord {
  const topic = topicById(store, topicId);
  if (!topic) {
    throw notFound(`Topic "${topicId}" not found`);
  }
  return topic;
}

/** Why a user cannot make this choice, or undefined when they can. */
function refusal(topic: TopicRecord, update: Update): string | undefined {
  if (topic.default_status === "REQUIRED" && update.status === "OPTED_OUT") {
    return `Topic "${topic.id}" is REQUIRED: users cannot opt out of it`;
  }
  if (topic.default_status !== "REQUIRED" && update.status === "REQUIRED") {
    return `Only the workspace can make topic "${topic.id}" REQUIRED; a user chooses OPTED_IN or OPTED_OUT`;
  }
  const stray = (update.custom_routing ?? []).find(
    (channel) => topic.routing_options.length > 0 && !topic.routing_options.includes(channel),
  );
  if (stray) {
    return `Channel "${stray}" is not a routing option of topic "${topic.id}" (${topic.routing_options.join(", ")})`;
  }
  return undefined;
}

function toChoice(update: Update): Choice {
  return {
    status: update.status,
    has_custom_routing: update.has_custom_routing ?? false,
    custom_routing: [...new Set(update.custom_routing ?? [])],
  };
}

function bulkView(topicId: string, choice: Choice) {
  return {
    topic_id: topicId,
    // Bulk answers declare only OPTED_IN/OPTED_OUT: a REQUIRED topic's stored choice is reported as opted in.
    status: choice.status === "OPTED_OUT" ? ("OPTED_OUT" as const) : ("OPTED_IN" as const),
    has_custom_routing: choice.has_custom_routing,
    custom_routing: choice.custom_routing,
  };
}

/** Checks every topic of a bulk request: the valid ones and, per topic, why the others were refused. */
function checkBulk(store: Store, topics: BulkTopic[]) {
  const valid: Array<[string, Choice]> = [];
  const errors: Array<{ topic_id: string; reason: string }> = [];
  for (const item of topics) {
    const topic = topicById(store, item.topic_id);
    const reason = topic ? refusal(topic, item) : `Topic "${item.topic_id}" not found`;
    if (reason) {
      errors.push({ topic_id: item.topic_id, reason });
    } else {
      valid.push([item.topic_id, toChoice(item)]);
    }
  }
  return { valid, errors };
}

export const userPreferenceRoutes = [
  // Every live topic, section by section, with the user's status (their choice or the topic's default).
  route("get", "/users/{user_id}/preferences", ({ params, query, store }) => {
    const userId = params.user_id ?? "";
    const tenantId = tenantOf(query);
    const items = allTopics(store).map((topic) => view(store, topic, choiceFor(store, userId, tenantId, topic.id)));
    return { status: 200, body: { items, paging: { cursor: null, more: false } } };
  }),

  route("get", "/users/{user_id}/preferences/{topic_id}", ({ params, query, store }) => {
    const topic = knownTopic(store, params.topic_id ?? "");
    const choice = choiceFor(store, params.user_id ?? "", tenantOf(query), topic.id);
    return { status: 200, body: { topic: view(store, topic, choice) } };
  }),

  // Replaces the user's choice for one topic; a REQUIRED topic refuses OPTED_OUT with 400.
  route("put", "/users/{user_id}/preferences/{topic_id}", ({ params, query, body, store }) => {
    const topic = knownTopic(store, params.topic_id ?? "");
    const reason = refusal(topic, body.topic);
    if (reason) {
      throw badRequest(reason);
    }
    writableChoicesOf(store, params.user_id ?? "", tenantOf(query)).set(topic.id, toChoice(body.topic));
    return { status: 200, body: { message: "success" } };
  }),

  // Forgets the user's choice (back to the topic's default). Idempotent, also for archived topics.
  route("delete", "/users/{user_id}/preferences/{topic_id}", ({ params, query, store }) => {
    const userId = params.user_id ?? "";
    const tenantId = tenantOf(query);
    const mine = choicesOf(store, userId, tenantId);
    mine?.delete(params.topic_id ?? "");
    if (mine?.size === 0) {
      forget(store, userId, tenantId);
    }
    return { status: 204, body: undefined };
  }),

  // Applies the valid topics and reports the others in `errors` (partial success).
  route("post", "/users/{user_id}/preferences", ({ params, query, body, store }) => {
    const { valid, errors } = checkBulk(store, body.topics);
    const mine = writableChoicesOf(store, params.user_id ?? "", tenantOf(query));
    for (const [topicId, choice] of valid) {
      mine.set(topicId, choice);
    }
    return { status: 200, body: { errors, items: valid.map(([topicId, choice]) => bulkView(topicId, choice)) } };
  }),

  // Replaces all of the user's choices (in this tenant context): all or nothing, 400 naming every refusal.
  route("put", "/users/{user_id}/preferences", ({ params, query, body, store }) => {
    const { valid, errors } = checkBulk(store, body.topics);
    if (errors.length > 0) {
      throw badRequest(errors.map((e) => e.reason).join("; "));
    }
    const mine = writableChoicesOf(store, params.user_id ?? "", tenantOf(query));
    const next = new Map(valid);
    const deleted = [...mine.keys()].filter((topicId) => !next.has(topicId));
    mine.clear();
    for (const [topicId, choice] of next) {
      mine.set(topicId, choice);
    }
    if (next.size === 0) {
      forget(store, params.user_id ?? "", tenantOf(query));
    }
    return { status: 200, body: { deleted, items: [...next].map(([topicId, choice]) => bulkView(topicId, choice)) } };
  }),
];

/** What the user's preferences do to one message. */
export interface PreferenceRouting {
  /** Set when the message must not be delivered: Courier reports it FILTERED with this reason. */
  filtered?: "UNSUBSCRIBED" | "OPT_IN_REQUIRED";
  /** The channels to route to: the user's custom routing for the topic when they chose one. */
  channels: string[];
}

/**
 * Applies a user's preferences to a message. The topic is the message's `preferences.subscription_topic_id`,
 * else the topic its template is mapped to. A user who opted out is UNSUBSCRIBED; a topic that is off by default
 * needs the user's opt-in (OPT_IN_REQUIRED); a REQUIRED topic is always delivered. Recipients without a user id
 * (a bare email or phone number) have no preferences.
 */
export function routeByPreferences(
  store: Store,
  message: { userId?: string; tenantId?: string; topicId?: string; notification?: string; channels: string[] },
): PreferenceRouting {
  const { userId, channels } = message;
  const topic = message.topicId
    ? topicById(store, message.topicId)
    : message.notification
      ? topicForNotification(store, message.notification)
      : undefined;
  if (userId === undefined || !topic) {
    return { channels };
  }
  const choice = choiceFor(store, userId, message.tenantId ?? "", topic.id);
  const routed = choice?.has_custom_routing && choice.custom_routing.length > 0 ? choice.custom_routing : channels;
  const status = statusOf(topic, choice);
  if (status === "OPTED_OUT") {
    return { filtered: choice?.status === "OPTED_OUT" ? "UNSUBSCRIBED" : "OPT_IN_REQUIRED", channels: routed };
  }
  return { channels: routed };
}

function fixtureError(where: string, problem: string): Error {
  return new Error(`preferences fixture${where ? ` ${where}` : ""}: ${problem}`);
}

function loadUser(store: Store, raw: Record<string, unknown>, where: string): void {
  const { user_id: userId, tenant_id: tenantId, topics } = raw;
  if (typeof userId !== "string" || userId === "") {
    throw fixtureError(where, "user_id must be a non-empty string");
  }
  if (tenantId !== undefined && typeof tenantId !== "string") {
    throw fixtureError(where, "tenant_id must be a string");
  }
  const problem = validateBody("post", "/users/{user_id}/preferences", { topics });
  if (problem) {
    throw fixtureError(where, problem);
  }
  const { valid, errors } = checkBulk(store, topics as BulkTopic[]);
  if (errors.length > 0) {
    throw fixtureError(where, errors.map((e) => e.reason).join("; "));
  }
  const mine = writableChoicesOf(store, userId, tenantId ?? "");
  for (const [topicId, choice] of valid) {
    mine.set(topicId, choice);
  }
}

/**
 * Fixture hook for the `preferences` key. Each item is either a workspace section
 * (`{ id, name, routing_options?, topics: [{ id, name, default_status, notifications?: [templateId] }] }`) or
 * one user's choices (`{ user_id, tenant_id?, topics: [{ topic_id, status, custom_routing?, has_custom_routing? }] }`).
 * Sections load first, so the order of items does not matter.
 */
export const preferencesSeed = {
  key: "preferences" as const,
  load(store: Store, items: unknown[], now: number): void {
    if (!Array.isArray(items)) {
      throw fixtureError("", "must be an array of sections and users' choices");
    }
    const objects = items.map((item, i) => {
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        throw fixtureError(`[${i}]`, "must be an object");
      }
      return item as Record<string, unknown>;
    });
    try {
      loadSections(
        store,
        objects.filter((o) => !("user_id" in o)),
        now,
      );
      objects.forEach((o, i) => {
        if ("user_id" in o) {
          loadUser(store, o, `[${i}]`);
        }
      });
    } catch (error) {
      // Handlers' HTTP errors (an empty name, a topic in two sections) become plain fixture errors.
      throw error instanceof HttpError ? fixtureError("", error.message) : error;
    }
  },
};

/** A user's topic in a fixture is `{ topic_id, topic: <PUT /users/{user_id}/preferences/{topic_id} body's topic> }`. */
function userFixture(raw: unknown, where: string): Record<string, unknown> {
  if (!isObject(raw)) {
    throw fixtureError(where, "must be an object");
  }
  if (!Array.isArray(raw.topics)) {
    return raw;
  }
  const topics = raw.topics.map((t: unknown) =>
    isObject(t) && isObject(t.topic) ? { topic_id: t.topic_id, ...t.topic } : t,
  );
  return { ...raw, topics };
}

/**
 * The `preferences` key of `EmulatorSeed`: `{ sections, users }`. A section is a `PUT
 * /preferences/sections/{section_id}` body with its `id` and `topics` (`PUT .../topics/{topic_id}` bodies with
 * their `id`, and optionally the template ids they cover in `notifications`); a user is `{ user_id, tenant_id?,
 * topics: [{ topic_id, topic }] }` with the body of `PUT /users/{user_id}/preferences/{topic_id}`.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({
 *   seed: { preferences: { users: [{ user_id: "bob", topics: [{ topic_id: "news", topic: { status: "OPTED_OUT" } }] }] } },
 * });
 * ```
 */
export const preferenceSeed: SeedModule = {
  key: "preferences",
  load(store, value, now) {
    if (!isObject(value)) {
      throw seedError("preferences must be an object { sections?, users? }");
    }
    const { sections = [], users = [] } = value;
    if (!Array.isArray(sections) || !Array.isArray(users)) {
      throw seedError("preferences.sections and preferences.users must be arrays");
    }
    try {
      loadSections(store, sections, now);
      users.forEach((user, i) => {
        loadUser(store, userFixture(user, `users[${i}]`), `users[${i}]`);
      });
    } catch (error) {
      if (error instanceof SeedError) {
        throw error;
      }
      const message = error instanceof Error ? error.message : String(error);
      const named = /^preferences fixture (\S.*)$/.exec(message);
      throw seedError(
        named ? `preferences.${named[1]}` : `preferences: ${message.replace(/^preferences fixture: /, "")}`,
      );
    }
  },
};
