/**
 * Workspace preferences: sections that group subscription topics, and publishing the preference page.
 * Users' choices live in `userPreferences.ts`, which reads the topics declared here.
 */
import type { components } from "@courier-ts/core";
import { badRequest, conflict, notFound } from "../errors.js";
import { type RequestBody, route } from "../router.js";
import { type Store, slot } from "../store.js";
import { validateBody } from "../validate.js";

type Schemas = components["schemas"];
export type Channel = Schemas["ChannelClassification"];
export type TopicStatus = Schemas["WorkspacePreferenceTopicGetResponse"]["default_status"];

export interface SectionRecord {
  id: string;
  name: string;
  description: string | null;
  has_custom_routing: boolean;
  routing_options: Channel[];
  created: string;
  updated: string | null;
}

export interface TopicRecord {
  id: string;
  sectionId: string;
  name: string;
  default_status: TopicStatus;
  allowed_preferences: Array<"snooze" | "channel_preferences">;
  description: string | null;
  include_unsubscribe_header: boolean;
  routing_options: Channel[];
  topic_data: Record<string, unknown>;
  /**
   * Notification templates (or events) mapped to this topic. Courier maps them in its editor, which has no API;
   * here they come from a fixture, and a send of one of them honours the topic's preferences.
   */
  notifications: string[];
  created: string;
  updated: string;
}

const workspace = slot("preferences", () => ({
  sections: new Map<string, SectionRecord>(),
  /** All topics of all sections, by topic id (user preferences name a topic without its section). */
  topics: new Map<string, TopicRecord>(),
  /** Notification template → the id of the topic it is mapped to (Courier maps a template to one topic). */
  byNotification: new Map<string, string>(),
  published: 0,
  pageId: undefined as string | undefined,
}));

/** The live (not archived) topic with this id. */
export function topicById(store: Store, topicId: string): TopicRecord | undefined {
  return workspace(store).topics.get(topicId);
}

/** The section of a topic (always present: archiving a section archives its topics). */
export function sectionOf(store: Store, topic: TopicRecord): SectionRecord | undefined {
  return workspace(store).sections.get(topic.sectionId);
}

/** Every live topic, section by section, in creation order. */
export function allTopics(store: Store): TopicRecord[] {
  const { sections, topics } = workspace(store);
  const bySection = new Map<string, TopicRecord[]>();
  for (const topic of topics.values()) {
    const list = bySection.get(topic.sectionId);
    if (list) {
      list.push(topic);
    } else {
      bySection.set(topic.sectionId, [topic]);
    }
  }
  return [...sections.keys()].flatMap((id) => bySection.get(id) ?? []);
}

/** The topic a notification template or event is mapped to, if any. */
export function topicForNotification(store: Store, notification: string): TopicRecord | undefined {
  const { byNotification, topics } = workspace(store);
  const topicId = byNotification.get(notification);
  return topicId === undefined ? undefined : topics.get(topicId);
}

function removeTopic(store: Store, topic: TopicRecord): void {
  const { topics, byNotification } = workspace(store);
  topics.delete(topic.id);
  for (const notification of topic.notifications) {
    byNotification.delete(notification);
  }
}

function section(store: Store, id: string): SectionRecord {
  const found = workspace(store).sections.get(id);
  if (!found) {
    throw notFound(`Preference section "${id}" not found`);
  }
  return found;
}

function topicIn(store: Store, sectionId: string, topicId: string): TopicRecord {
  const found = workspace(store).topics.get(topicId);
  if (!found || found.sectionId !== sectionId) {
    throw notFound(`Topic "${topicId}" not found in section "${sectionId}"`);
  }
  return found;
}

function name(value: string): string {
  if (value.trim() === "") {
    throw badRequest("name must not be empty");
  }
  return value;
}

function topicView(t: TopicRecord) {
  return {
    id: t.id,
    name: t.name,
    default_status: t.default_status,
    allowed_preferences: t.allowed_preferences,
    description: t.description,
    include_unsubscribe_header: t.include_unsubscribe_header,
    routing_options: t.routing_options,
    topic_data: t.topic_data,
    created: t.created,
    updated: t.updated,
  };
}

function sectionView(store: Store, s: SectionRecord) {
  const topics = [...workspace(store).topics.values()].filter((t) => t.sectionId === s.id).map(topicView);
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    has_custom_routing: s.has_custom_routing,
    routing_options: s.routing_options,
    created: s.created,
    updated: s.updated,
    topics,
  };
}

type SectionInput = NonNullable<RequestBody<"/preferences/sections/{section_id}", "put">>;
type TopicInput = NonNullable<RequestBody<"/preferences/sections/{section_id}/topics/{topic_id}", "put">>;

function putSection(store: Store, id: string, body: SectionInput, now: number): SectionRecord {
  const at = new Date(now).toISOString();
  const existing = workspace(store).sections.get(id);
  const record: SectionRecord = {
    id,
    name: name(body.name),
    description: body.description ?? null,
    has_custom_routing: body.has_custom_routing ?? false,
    routing_options: body.routing_options ?? [],
    created: existing?.created ?? at,
    updated: existing ? at : null,
  };
  workspace(store).sections.set(id, record);
  return record;
}

function putTopic(
  store: Store,
  sectionId: string,
  id: string,
  body: TopicInput & { notifications?: string[] },
  now: number,
): TopicRecord {
  const at = new Date(now).toISOString();
  const { topics, byNotification } = workspace(store);
  const existing = topics.get(id);
  if (existing && existing.sectionId !== sectionId) {
    throw conflict(`Topic "${id}" belongs to section "${existing.sectionId}"`);
  }
  const notifications = body.notifications ?? existing?.notifications ?? [];
  const taken = notifications.find((n) => (byNotification.get(n) ?? id) !== id);
  if (taken !== undefined) {
    throw conflict(`Template "${taken}" is already mapped to topic "${byNotification.get(taken)}"`);
  }
  const record: TopicRecord = {
    id,
    sectionId,
    name: name(body.name),
    default_status: body.default_status,
    allowed_preferences: body.allowed_preferences ?? [],
    description: body.description ?? null,
    include_unsubscribe_header: body.include_unsubscribe_header ?? false,
    routing_options: body.routing_options ?? [],
    topic_data: body.topic_data ?? {},
    notifications,
    created: existing?.created ?? at,
    updated: at,
  };
  for (const notification of existing?.notifications ?? []) {
    byNotification.delete(notification);
  }
  topics.set(id, record); // an existing key keeps its place in the listing
  for (const notification of notifications) {
    byNotification.set(notification, id);
  }
  return record;
}

export const preferenceRoutes = [
  route("get", "/preferences/sections", ({ store }) => ({
    status: 200,
    body: { results: [...workspace(store).sections.values()].map((s) => sectionView(store, s)) },
  })),

  route("post", "/preferences/sections", ({ body, store, now }) => {
    const created = putSection(store, store.nextId(now), body, now);
    return { status: 200, body: sectionView(store, created) };
  }),

  route("get", "/preferences/sections/{section_id}", ({ params, store }) => ({
    status: 200,
    body: sectionView(store, section(store, params.section_id ?? "")),
  })),

  // Replaces the section's settings and keeps its topics; an unknown id is created, so fixtures and tests
  // can use known ids.
  route("put", "/preferences/sections/{section_id}", ({ params, body, store, now }) => ({
    status: 200,
    body: sectionView(store, putSection(store, params.section_id ?? "", body, now)),
  })),

  // Archiving a section archives its topics; users' choices for them stay stored but are no longer listed.
  route("delete", "/preferences/sections/{section_id}", ({ params, store }) => {
    const id = section(store, params.section_id ?? "").id;
    const { sections, topics } = workspace(store);
    sections.delete(id);
    for (const topic of [...topics.values()]) {
      if (topic.sectionId === id) {
        removeTopic(store, topic);
      }
    }
    return { status: 204, body: undefined };
  }),

  route("post", "/preferences/publish", ({ store, now }) => {
    const state = workspace(store);
    state.published++;
    state.pageId ??= store.nextId(now);
    return {
      status: 200,
      body: {
        page_id: state.pageId,
        published_at: new Date(now).toISOString(),
        published_version: state.published,
      },
    };
  }),

  route("get", "/preferences/sections/{section_id}/topics", ({ params, store }) => {
    const id = section(store, params.section_id ?? "").id;
    const results = [...workspace(store).topics.values()].filter((t) => t.sectionId === id).map(topicView);
    return { status: 200, body: { results } };
  }),

  route("post", "/preferences/sections/{section_id}/topics", ({ params, body, store, now }) => {
    const sectionId = section(store, params.section_id ?? "").id;
    return { status: 200, body: topicView(putTopic(store, sectionId, store.nextId(now), body, now)) };
  }),

  route("get", "/preferences/sections/{section_id}/topics/{topic_id}", ({ params, store }) => ({
    status: 200,
    body: topicView(topicIn(store, params.section_id ?? "", params.topic_id ?? "")),
  })),

  // Replaces the topic; an unknown id is created in the section (409 if the id belongs to another section).
  route("put", "/preferences/sections/{section_id}/topics/{topic_id}", ({ params, body, store, now }) => {
    const sectionId = section(store, params.section_id ?? "").id;
    return { status: 200, body: topicView(putTopic(store, sectionId, params.topic_id ?? "", body, now)) };
  }),

  route("delete", "/preferences/sections/{section_id}/topics/{topic_id}", ({ params, store }) => {
    removeTopic(store, topicIn(store, params.section_id ?? "", params.topic_id ?? ""));
    return { status: 204, body: undefined };
  }),
];

/** A section as a fixture gives it: the section create body plus `id` and its topics (each with `id`). */
export interface SectionFixture {
  id: string;
  name: string;
  description?: string | null;
  has_custom_routing?: boolean | null;
  routing_options?: Channel[] | null;
  topics?: Array<TopicInput & { id: string; notifications?: string[] }>;
}

function fixtureError(where: string, problem: string): Error {
  return new Error(`preferences fixture ${where}: ${problem}`);
}

/** Loads fixture sections and their topics, checked against the same schemas as the API's request bodies. */
export function loadSections(store: Store, sections: unknown[], now: number): void {
  sections.forEach((raw, i) => {
    const where = `sections[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw fixtureError(where, "must be an object");
    }
    const { id, topics, ...fields } = raw as Record<string, unknown>;
    if (typeof id !== "string" || id === "") {
      throw fixtureError(where, "id must be a non-empty string");
    }
    const problem = validateBody("put", "/preferences/sections/{section_id}", fields);
    if (problem) {
      throw fixtureError(where, problem);
    }
    putSection(store, id, fields as SectionInput, now);
    if (topics !== undefined && !Array.isArray(topics)) {
      throw fixtureError(where, "topics must be an array");
    }
    (topics ?? []).forEach((rawTopic: unknown, j: number) => {
      const at = `${where}.topics[${j}]`;
      if (typeof rawTopic !== "object" || rawTopic === null || Array.isArray(rawTopic)) {
        throw fixtureError(at, "must be an object");
      }
      const { id: topicId, notifications, ...topicFields } = rawTopic as Record<string, unknown>;
      if (typeof topicId !== "string" || topicId === "") {
        throw fixtureError(at, "id must be a non-empty string");
      }
      if (
        notifications !== undefined &&
        !(Array.isArray(notifications) && notifications.every((n) => typeof n === "string"))
      ) {
        throw fixtureError(at, "notifications must be an array of template ids");
      }
      const topicProblem = validateBody("put", "/preferences/sections/{section_id}/topics/{topic_id}", topicFields);
      if (topicProblem) {
        throw fixtureError(at, topicProblem);
      }
      putTopic(store, id, topicId, { ...(topicFields as TopicInput), notifications }, now);
    });
  });
}
