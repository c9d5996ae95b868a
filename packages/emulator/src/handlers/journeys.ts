/**
 * Journeys: a draft of nodes, published as numbered versions (`v1`, `v2`, ...), with notification
 * templates of their own (drafted and published the same way) and runs started by `invoke` or by an
 * inbound event.
 *
 * A run is planned when it starts: its nodes are walked in order, a `delay` moves the run's clock on, and
 * each `send` records its message through the send machinery at once, held until the run reaches it
 * (so it lists as ENQUEUED until then). Step and run statuses are read against the clock, so nothing
 * runs in the background; canceling a run cancels the messages it has not reached yet.
 */
import type { components } from "@courier-ts/core";
import { parseDuration } from "../automations.js";
import { contentView, copyContent, mutationView, newContent, putLocale, type StoredContent } from "../elemental.js";
import { badRequest, notFound } from "../errors.js";
import { messagesOf } from "../messages.js";
import { page } from "../paging.js";
import { route } from "../router.js";
import { parseUntil, recordSend } from "../send.js";
import { type Json, type Store, setCapped, slot } from "../store.js";
import { addToDigest } from "./digests.js";
import { profilesOf } from "./profiles.js";

type Schemas = components["schemas"];
type JourneyNode = Schemas["JourneyNode"];
type State = "DRAFT" | "PUBLISHED";

/** The identity the emulator records as creator/updater (Courier records the API key's user). */
const ACTOR = "api";

interface Draft {
  name: string;
  nodes: JourneyNode[];
  enabled: boolean;
}

interface Version<T> {
  version: string;
  published: number;
  value: T;
}

/** A draft with its published versions; `current` is the version live for new runs. */
interface Versioned<T> {
  draft: T;
  /** The draft has changes no version holds. */
  dirty: boolean;
  versions: Array<Version<T>>;
  current?: Version<T>;
  created: number;
  updated: number;
  archived?: number;
}

interface TemplateDraft {
  name: string;
  brand: { id: string } | null;
  subscription: { topic_id: string } | null;
  tags: string[];
  scope?: "default" | "strict";
  content: StoredContent;
}

interface TemplateRecord extends Versioned<TemplateDraft> {
  id: string;
  channel: string;
  providerKey?: string;
}

interface JourneyRecord extends Versioned<Draft> {
  id: string;
  /** Templates scoped to this journey, by notification id. */
  templates: Map<string, TemplateRecord>;
}

interface RunStep {
  nodeId?: string;
  action: string;
  /** When the run reaches the step. */
  at: number;
  messageId?: string;
  error?: string;
}

interface RunRecord {
  id: string;
  journeyId: string;
  version: string;
  source: string[];
  created: number;
  cancelationToken?: string;
  steps: RunStep[];
  canceledAt?: number;
}

const journeys = slot("journeys", () => new Map<string, JourneyRecord>());
const runs = slot("journey-runs", () => new Map<string, RunRecord>());

// ---- drafts and versions ------------------------------------------------------------------------------

function state(v: Versioned<unknown>): State {
  return v.current && !v.dirty ? "PUBLISHED" : "DRAFT";
}

/** Publishes the draft as a new version, or with `version` makes that earlier version live again. */
function publish<T>(v: Versioned<T>, version: string | undefined, now: number, copy: (t: T) => T): Version<T> {
  if (version !== undefined) {
    const found = v.versions.find((x) => x.version === version);
    if (!found) {
      throw notFound(`Version "${version}" not found`);
    }
    v.current = found;
    return found;
  }
  if (v.current && !v.dirty) {
    return v.current;
  }
  const next = { version: `v${v.versions.length + 1}`, published: now, value: copy(v.draft) };
  v.versions.push(next);
  v.current = next;
  v.dirty = false;
  v.updated = now;
  return next;
}

/**
 * `?version=`: `published` (the default; the draft while nothing is published), `draft` or `vN`.
 */
function pick<T>(v: Versioned<T>, version: string | null): { value: T; published?: Version<T> } {
  if (version === null || version === "published") {
    return v.current ? { value: v.current.value, published: v.current } : { value: v.draft };
  }
  if (version === "draft") {
    return { value: v.draft };
  }
  if (!/^v\d+$/.test(version)) {
    throw badRequest('version must be "published", "draft" or "v<number>"');
  }
  const found = v.versions.find((x) => x.version === version);
  if (!found) {
    throw notFound(`Version "${version}" not found`);
  }
  return { value: found.value, published: found };
}

function copyDraft(d: Draft): Draft {
  return structuredClone(d);
}

function copyTemplate(t: TemplateDraft): TemplateDraft {
  return { ...structuredClone({ ...t, content: undefined }), content: copyContent(t.content) };
}

// ---- journeys -----------------------------------------------------------------------------------------

function findJourney(store: Store, id: string): JourneyRecord {
  const found = journeys(store).get(id);
  if (!found || found.archived !== undefined) {
    throw notFound(`Journey "${id}" not found`);
  }
  return found;
}

function walk(nodes: JourneyNode[], visit: (node: JourneyNode, path: string) => void, path = "nodes"): void {
  nodes.forEach((node, i) => {
    visit(node, `${path}[${i}]`);
    if (node.type === "branch") {
      walk(node.default.nodes, visit, `${path}[${i}].default.nodes`);
      node.paths.forEach((p, j) => {
        walk(p.nodes, visit, `${path}[${i}].paths[${j}].nodes`);
      });
    }
  });
}

/** 400 for a node the journey could not run: a send without one of its templates, a delay it cannot read. */
function checkNodes(journey: { templates: Map<string, TemplateRecord> }, nodes: JourneyNode[]): void {
  walk(nodes, (node, path) => {
    if (node.type === "send") {
      const template = node.message.template;
      const found = template ? journey.templates.get(template) : undefined;
      if (!found || found.archived !== undefined) {
        throw badRequest(`${path}: a send node needs message.template naming one of this journey's templates`);
      }
    }
    if (node.type === "delay") {
      const ok = node.mode === "duration" ? parseDuration(node.duration) : parseUntil(node.until);
      if (ok === undefined) {
        throw badRequest(`${path}: the delay's ${node.mode} cannot be read`);
      }
    }
  });
}

function journeyView(j: JourneyRecord, picked: { value: Draft; published?: Version<Draft> }) {
  return {
    id: j.id,
    name: picked.value.name,
    nodes: picked.value.nodes,
    enabled: picked.value.enabled,
    state: picked.published ? ("PUBLISHED" as const) : state(j),
    created: j.created,
    creator: ACTOR,
    updated: j.updated,
    updater: ACTOR,
    published: picked.published?.published ?? j.current?.published ?? null,
  };
}

// ---- templates ----------------------------------------------------------------------------------------

function findTemplate(journey: JourneyRecord, id: string): TemplateRecord {
  const found = journey.templates.get(id);
  if (!found || found.archived !== undefined) {
    throw notFound(`Template "${id}" not found in journey "${journey.id}"`);
  }
  return found;
}

type NotificationInput = Schemas["TemplateCreateParamsNotification"];

function templateDraft(n: NotificationInput): TemplateDraft {
  return {
    name: n.name,
    brand: n.brand ?? null,
    subscription: n.subscription ?? null,
    tags: n.tags,
    ...(n.content.scope ? { scope: n.content.scope } : {}),
    content: newContent(n.content),
  };
}

function stateOf(value: string | undefined): State {
  if (value === undefined) {
    return "DRAFT";
  }
  const upper = value.toUpperCase();
  if (upper !== "DRAFT" && upper !== "PUBLISHED") {
    throw badRequest('state must be "DRAFT" or "PUBLISHED"');
  }
  return upper;
}

function templateView(t: TemplateRecord, picked: { value: TemplateDraft; published?: Version<TemplateDraft> }) {
  const d = picked.value;
  return {
    id: t.id,
    name: d.name,
    brand: d.brand,
    subscription: d.subscription,
    tags: d.tags,
    content: {
      version: "2022-01-01" as const,
      elements: d.content.elements as Schemas["ElementalNode"][],
      ...(d.scope ? { scope: d.scope } : {}),
    },
    state: picked.published ? ("PUBLISHED" as const) : state(t),
    created: t.created,
    creator: ACTOR,
    updated: t.updated,
    updater: ACTOR,
  };
}

// ---- runs ---------------------------------------------------------------------------------------------

type RunStatus = "PROCESSING" | "WAITING" | "PROCESSED" | "CANCELED" | "ERROR";

function runStatus(r: RunRecord, now: number): RunStatus {
  if (r.canceledAt !== undefined) {
    return "CANCELED";
  }
  const reached = r.steps.filter((s) => s.at <= now);
  if (reached.some((s) => s.error)) {
    return "ERROR";
  }
  return reached.length === r.steps.length ? "PROCESSED" : "WAITING";
}

function stepStatus(r: RunRecord, s: RunStep, now: number): string {
  if (s.at > now) {
    return r.canceledAt === undefined ? "PENDING" : "CANCELED";
  }
  return s.error ? "ERROR" : "PROCESSED";
}

function runView(r: RunRecord, now: number) {
  const reached = r.steps.filter((s) => s.at <= now).map((s) => s.at);
  const updated = Math.max(r.created, r.canceledAt ?? 0, ...reached);
  return {
    run_id: r.id,
    template_id: r.journeyId,
    source: r.source,
    status: runStatus(r, now),
    created_at: new Date(r.created).toISOString(),
    updated_at: new Date(updated).toISOString(),
  };
}

export interface InvokeInput {
  user_id?: string;
  profile?: Json;
  data?: Json;
  cancelation_token?: string;
}

/** Starts a run of the journey's live version and plans every node (see the module comment). */
export function startRun(store: Store, journey: JourneyRecord, input: InvokeInput, source: string[], now: number) {
  const live = journey.current;
  if (!live) {
    throw badRequest(`Journey "${journey.id}" has no published version to run`);
  }
  if (!live.value.enabled) {
    throw badRequest(`Journey "${journey.id}" is disabled`);
  }
  const profile = input.profile ?? {};
  const userId = input.user_id ?? (typeof profile.user_id === "string" ? profile.user_id : undefined);
  if (!userId && typeof profile.email !== "string" && typeof profile.phone_number !== "string") {
    throw badRequest("A journey run needs user_id or a profile with an email or phone_number");
  }
  if (userId && Object.keys(profile).length > 0) {
    const existing = profilesOf(store).get(userId);
    profilesOf(store).set(userId, {
      profile: { ...existing?.profile, ...profile },
      created: existing?.created ?? now,
      updated: now,
    });
  }
  const run: RunRecord = {
    id: store.nextId(now),
    journeyId: journey.id,
    version: live.version,
    source,
    created: now,
    ...(input.cancelation_token ? { cancelationToken: input.cancelation_token } : {}),
    steps: [],
  };
  let at = now;
  let stopped = false;
  const execute = (nodes: JourneyNode[]) => {
    for (const node of nodes) {
      if (stopped) {
        return;
      }
      const step: RunStep = { action: node.type, at, ...(node.id ? { nodeId: node.id } : {}) };
      run.steps.push(step);
      try {
        if (node.type === "delay") {
          at =
            node.mode === "duration"
              ? at + (parseDuration(node.duration) ?? 0)
              : Math.max(at, parseUntil(node.until) ?? at);
          step.at = at;
        } else if (node.type === "send") {
          const o = node.message.to ?? {};
          const to = o.user_id_override
            ? { user_id: o.user_id_override }
            : o.email_override
              ? { email: o.email_override }
              : o.phone_number_override
                ? { phone_number: o.phone_number_override }
                : userId
                  ? { user_id: userId }
                  : {
                      ...(typeof profile.email === "string"
                        ? { email: profile.email }
                        : { phone_number: profile.phone_number }),
                    };
          const [message] = recordSend(
            store,
            {
              to,
              template: node.message.template ?? null,
              data: { ...input.data, ...node.message.data },
              ...(node.message.context ? { context: node.message.context } : {}),
            },
            { requestId: store.nextId(now), now, notBefore: at, source: "journey", event: journey.id },
          );
          if (message) {
            step.messageId = message.id;
          }
        } else if (node.type === "add-to-digest" && userId) {
          addToDigest(
            store,
            node.subscription_topic_id,
            userId,
            { journey_id: journey.id, data: input.data ?? {} },
            at,
          );
        } else if (node.type === "branch") {
          // Branch conditions are not evaluated: the default path runs.
          execute(node.default.nodes);
        } else if (node.type === "exit") {
          stopped = true;
        }
      } catch (error) {
        step.error = error instanceof Error ? error.message : String(error);
        stopped = true;
      }
    }
  };
  execute(live.value.nodes);
  // Runs grow with traffic: capped like automation runs, oldest dropped first.
  setCapped(runs(store), run.id, run, store.retention.automationRuns);
  return run;
}

/** Published journeys whose trigger node listens for this inbound (`track`) event. */
export function journeysForEvent(store: Store, event: string): JourneyRecord[] {
  return [...journeys(store).values()].filter(
    (j) =>
      j.archived === undefined &&
      j.current?.value.enabled &&
      j.current.value.nodes.some(
        (n) =>
          n.type === "trigger" &&
          (n.trigger_type === "segment" || n.trigger_type === "webhook") &&
          n.event_id === event,
      ),
  );
}

function cancelRun(store: Store, r: RunRecord, now: number): void {
  if (runStatus(r, now) !== "WAITING") {
    return;
  }
  r.canceledAt = now;
  for (const step of r.steps) {
    const message = step.messageId ? messagesOf(store).get(step.messageId) : undefined;
    if (step.at > now && message && message.canceledAt === undefined) {
      message.canceledAt = now;
    }
  }
}

function findRun(store: Store, id: string): RunRecord {
  const found = runs(store).get(id);
  if (!found) {
    throw notFound(`Run "${id}" not found`);
  }
  return found;
}

function limitOf(query: URLSearchParams, max: number): number {
  const n = Number(query.get("limit") ?? 20);
  return Number.isInteger(n) ? Math.min(Math.max(n, 1), max) : 20;
}

function dateBound(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) {
    return undefined;
  }
  const at = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(at)) {
    throw badRequest(`${name} must be an ISO 8601 date or timestamp`);
  }
  return at;
}

// ---- routes -------------------------------------------------------------------------------------------

export const journeyRoutes = [
  route("post", "/journeys", ({ body, store, now }) => {
    const id = store.nextId(now);
    const journey: JourneyRecord = {
      id,
      draft: { name: body.name, nodes: body.nodes, enabled: body.enabled ?? true },
      dirty: true,
      versions: [],
      created: now,
      updated: now,
      templates: new Map(),
    };
    checkNodes(journey, body.nodes);
    if (body.state === "PUBLISHED") {
      publish(journey, undefined, now, copyDraft);
    }
    journeys(store).set(id, journey);
    return { status: 200, body: journeyView(journey, { value: journey.draft }) };
  }),

  // `?version=published` (default) lists the journeys that have a live version; `draft` lists all.
  route("get", "/journeys", ({ query, store }) => {
    const version = query.get("version") ?? "published";
    if (version !== "published" && version !== "draft") {
      throw badRequest('version must be "published" or "draft"');
    }
    const listed = [...journeys(store).values()].filter(
      (j) => j.archived === undefined && (version === "draft" || j.current),
    );
    const { items, paging } = page(listed, query.get("cursor"));
    return {
      status: 200,
      body: {
        templates: items.map((j) => ({
          id: j.id,
          name: version === "draft" ? j.draft.name : (j.current?.value.name ?? j.draft.name),
          version: version as "published" | "draft",
          createdAt: new Date(j.created).toISOString(),
          updatedAt: new Date(j.updated).toISOString(),
        })),
        ...(paging.cursor ? { cursor: paging.cursor } : {}),
      },
    };
  }),

  route("get", "/journeys/{templateId}", ({ params, query, store }) => {
    const journey = findJourney(store, params.templateId ?? "");
    return { status: 200, body: journeyView(journey, pick(journey, query.get("version"))) };
  }),

  // Replaces the draft; the live version keeps running until the next publish.
  route("put", "/journeys/{templateId}", ({ params, body, store, now }) => {
    const journey = findJourney(store, params.templateId ?? "");
    checkNodes(journey, body.nodes);
    journey.draft = { name: body.name, nodes: body.nodes, enabled: body.enabled ?? journey.draft.enabled };
    journey.dirty = true;
    journey.updated = now;
    if (body.state === "PUBLISHED") {
      publish(journey, undefined, now, copyDraft);
    }
    return { status: 200, body: journeyView(journey, { value: journey.draft }) };
  }),

  // Archive: no new runs; runs in flight carry on.
  route("delete", "/journeys/{templateId}", ({ params, store, now }) => {
    const journey = findJourney(store, params.templateId ?? "");
    journey.archived = now;
    return { status: 204, body: undefined };
  }),

  route("post", "/journeys/cancel", ({ body, store, now }) => {
    if ("run_id" in body) {
      const run = findRun(store, body.run_id);
      cancelRun(store, run, now);
      return { status: 200, body: { run_id: run.id, status: runStatus(run, now) } };
    }
    for (const run of runs(store).values()) {
      if (run.cancelationToken === body.cancelation_token) {
        cancelRun(store, run, now);
      }
    }
    return { status: 200, body: { cancelation_token: body.cancelation_token } };
  }),

  route("post", "/journeys/{templateId}/invoke", ({ params, body, store, now }) => {
    const journey = findJourney(store, params.templateId ?? "");
    const extra = body as typeof body & { cancelation_token?: unknown };
    const run = startRun(
      store,
      journey,
      {
        user_id: body.user_id,
        profile: body.profile,
        data: body.data,
        cancelation_token: typeof extra.cancelation_token === "string" ? extra.cancelation_token : undefined,
      },
      ["api-invoke"],
      now,
    );
    return { status: 200, body: { runId: run.id } };
  }),

  // Published versions, most recent first.
  route("get", "/journeys/{templateId}/versions", ({ params, query, store }) => {
    const journey = findJourney(store, params.templateId ?? "");
    const { items, paging } = page([...journey.versions].reverse(), query.get("cursor"));
    return {
      status: 200,
      body: {
        results: items.map((v) => ({
          version: v.version,
          name: v.value.name,
          created: v.published,
          creator: ACTOR,
          published: v.published,
        })),
        paging,
      },
    };
  }),

  route("post", "/journeys/{templateId}/publish", ({ params, body, store, now }) => {
    const journey = findJourney(store, params.templateId ?? "");
    if (body?.version === undefined) {
      checkNodes(journey, journey.draft.nodes);
    }
    const live = publish(journey, body?.version, now, copyDraft);
    return { status: 200, body: journeyView(journey, { value: live.value, published: live }) };
  }),

  route("get", "/journeys/{templateId}/templates", ({ params, query, store }) => {
    const journey = findJourney(store, params.templateId ?? "");
    const live = [...journey.templates.values()].filter((t) => t.archived === undefined);
    const { items, paging } = page(live, query.get("cursor"), limitOf(query, 100));
    return {
      status: 200,
      body: {
        results: items.map((t) => ({
          id: t.id,
          name: t.draft.name,
          state: state(t),
          tags: t.draft.tags,
          created: t.created,
          creator: ACTOR,
          updated: t.updated,
          updater: ACTOR,
        })),
        paging,
      },
    };
  }),

  route("post", "/journeys/{templateId}/templates", ({ params, body, store, now }) => {
    const journey = findJourney(store, params.templateId ?? "");
    const template: TemplateRecord = {
      id: store.nextId(now),
      channel: body.channel,
      ...(body.providerKey ? { providerKey: body.providerKey } : {}),
      draft: templateDraft(body.notification),
      dirty: true,
      versions: [],
      created: now,
      updated: now,
    };
    if (stateOf(body.state) === "PUBLISHED") {
      publish(template, undefined, now, copyTemplate);
    }
    journey.templates.set(template.id, template);
    return { status: 200, body: templateView(template, { value: template.draft }) };
  }),

  route("get", "/journeys/{templateId}/templates/{notificationId}", ({ params, store }) => {
    const template = findTemplate(findJourney(store, params.templateId ?? ""), params.notificationId ?? "");
    return { status: 200, body: templateView(template, pick(template, null)) };
  }),

  route("put", "/journeys/{templateId}/templates/{notificationId}", ({ params, body, store, now }) => {
    const template = findTemplate(findJourney(store, params.templateId ?? ""), params.notificationId ?? "");
    template.draft = templateDraft(body.notification);
    template.dirty = true;
    template.updated = now;
    if (stateOf(body.state) === "PUBLISHED") {
      publish(template, undefined, now, copyTemplate);
    }
    return { status: 200, body: templateView(template, { value: template.draft }) };
  }),

  route("delete", "/journeys/{templateId}/templates/{notificationId}", ({ params, store, now }) => {
    const journey = findJourney(store, params.templateId ?? "");
    const template = findTemplate(journey, params.notificationId ?? "");
    let used = false;
    walk(journey.draft.nodes, (n) => {
      used ||= n.type === "send" && n.message.template === template.id;
    });
    if (used) {
      throw badRequest(`Template "${template.id}" is used by a send node of the journey's draft`);
    }
    template.archived = now;
    return { status: 204, body: undefined };
  }),

  route("get", "/journeys/{templateId}/templates/{notificationId}/versions", ({ params, query, store }) => {
    const template = findTemplate(findJourney(store, params.templateId ?? ""), params.notificationId ?? "");
    const { items, paging } = page([...template.versions].reverse(), query.get("cursor"));
    return {
      status: 200,
      body: {
        versions: items.map((v) => ({
          version: v.version,
          created: v.published,
          creator: ACTOR,
          has_changes: v === template.current && template.dirty,
        })),
        paging,
      },
    };
  }),

  route("post", "/journeys/{templateId}/templates/{notificationId}/publish", ({ params, body, store, now }) => {
    const template = findTemplate(findJourney(store, params.templateId ?? ""), params.notificationId ?? "");
    publish(template, body?.version, now, copyTemplate);
    return { status: 204, body: undefined };
  }),

  route("get", "/journeys/{templateId}/templates/{notificationId}/content", ({ params, query, store }) => {
    const template = findTemplate(findJourney(store, params.templateId ?? ""), params.notificationId ?? "");
    return { status: 200, body: contentView(pick(template, query.get("version")).value.content) };
  }),

  route("put", "/journeys/{templateId}/templates/{notificationId}/content", ({ params, body, store, now }) => {
    const template = findTemplate(findJourney(store, params.templateId ?? ""), params.notificationId ?? "");
    template.draft = { ...template.draft, content: newContent(body.content) };
    template.dirty = true;
    template.updated = now;
    if (body.state === "PUBLISHED") {
      publish(template, undefined, now, copyTemplate);
    }
    return { status: 200, body: mutationView(template.id, template.draft.content, state(template)) };
  }),

  route(
    "put",
    "/journeys/{templateId}/templates/{notificationId}/locales/{localeId}",
    ({ params, body, store, now }) => {
      const template = findTemplate(findJourney(store, params.templateId ?? ""), params.notificationId ?? "");
      putLocale(template.draft.content, params.localeId ?? "", body.elements);
      template.dirty = true;
      template.updated = now;
      if (body.state === "PUBLISHED") {
        publish(template, undefined, now, copyTemplate);
      }
      return { status: 200, body: mutationView(template.id, template.draft.content, state(template)) };
    },
  ),

  // Newest first, filtered by status, journey and creation date.
  route("get", "/journeys/runs", ({ query, store, now }) => {
    const statuses = query
      .get("status")
      ?.split(",")
      .map((s) => s.trim().toUpperCase());
    const templates = query
      .get("template_id")
      ?.split(",")
      .map((s) => s.trim());
    const start = dateBound(query, "start_date");
    const end = dateBound(query, "end_date");
    const matching = [...runs(store).values()]
      .reverse()
      .filter(
        (r) =>
          (!templates || templates.includes(r.journeyId)) &&
          (start === undefined || r.created >= start) &&
          (end === undefined || r.created <= end) &&
          (!statuses || statuses.includes(runStatus(r, now))),
      );
    const { items, paging } = page(matching, query.get("cursor"), limitOf(query, 50));
    return {
      status: 200,
      body: {
        runs: items.map((r) => {
          const { updated_at: _updated, ...item } = runView(r, now);
          return item;
        }),
        ...(paging.cursor ? { next_cursor: paging.cursor } : {}),
      },
    };
  }),

  route("get", "/journeys/runs/{run_id}", ({ params, store, now }) => {
    return { status: 200, body: { run: runView(findRun(store, params.run_id ?? ""), now) } };
  }),

  route("get", "/journeys/runs/{run_id}/steps", ({ params, store, now }) => {
    const run = findRun(store, params.run_id ?? "");
    return {
      status: 200,
      body: {
        steps: run.steps.map((s) => ({
          action: s.action,
          status: stepStatus(run, s, now),
          ...(s.nodeId ? { node_id: s.nodeId } : {}),
          ...(s.messageId ? { message_id: s.messageId } : {}),
          created_at: new Date(run.created).toISOString(),
          ...(s.at <= now ? { updated_at: new Date(s.at).toISOString() } : {}),
        })),
      },
    };
  }),
];
