import { createHash } from "node:crypto";
import type { components } from "@courier-ts/core";
import { badRequest, notFound } from "../errors.js";
import { limitOf } from "../listing.js";
import { page } from "../paging.js";
import { route } from "../router.js";
import { defineSeed, isObject } from "../seed.js";
import { type Json, type Store, slot } from "../store.js";
import { validateBody } from "../validate.js";
import { audit } from "./auditEvents.js";

type Schemas = components["schemas"];
type Payload = Schemas["NotificationTemplateWritePayload"];
type State = Schemas["NotificationTemplateState"];

/** Published versions kept per template; past it the oldest one not currently published is dropped. */
export const NOTIFICATION_VERSION_CAP = 100;
/** Content version Courier fills in when a write leaves it out. */
const DEFAULT_CONTENT_VERSION = "2022-01-01";
/** Who the emulator says created or changed a template: the API key, never named. */
const CREATOR = "api_key";

interface Snapshot {
  version: string;
  payload: Payload;
  created: number;
}

interface NotificationRecord {
  id: string;
  created: number;
  updated: number;
  /** The working copy every write changes; `publish` snapshots it. */
  draft: Payload;
  /** Published snapshots, oldest first, named `v1`, `v2`, ... */
  versions: Snapshot[];
  made: number;
  published?: string;
  /** Element ids handed out so far, so `elem_<n>` is never reused within a template. */
  elementIds: number;
  /** submission id → its checks. */
  checks: Map<string, Schemas["Check"][]>;
}

const notifications = slot("notifications", () => new Map<string, NotificationRecord>());

function recordOf(store: Store, id: string): NotificationRecord {
  const record = notifications(store).get(id);
  if (!record) {
    throw notFound(`Notification ${id} not found`);
  }
  return record;
}

function md5(value: unknown): string {
  return createHash("md5").update(JSON.stringify(value)).digest("hex");
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function publishedSnapshot(record: NotificationRecord): Snapshot | undefined {
  return record.versions.find((v) => v.version === record.published);
}

function hasChanges(record: NotificationRecord): boolean {
  const published = publishedSnapshot(record);
  return !published || !same(published.payload, record.draft);
}

/**
 * Which copy a `?version=` names: `draft`; `published` (the default, 404 while never published, as
 * Courier returns the published version unless asked for the draft); or a published `v<n>`.
 */
function resolve(record: NotificationRecord, version: string | null): { payload: Payload; state: State } {
  if (version === "draft") {
    return { payload: record.draft, state: hasChanges(record) ? "DRAFT" : "PUBLISHED" };
  }
  const name = !version || version === "published" ? record.published : version;
  const snapshot = record.versions.find((v) => v.version === name);
  if (!snapshot) {
    throw notFound(
      name ? `Version ${name} of notification ${record.id} not found` : `Notification ${record.id} is not published`,
    );
  }
  return { payload: snapshot.payload, state: "PUBLISHED" };
}

function view(record: NotificationRecord, payload: Payload, state: State): Schemas["NotificationTemplateResponse"] {
  const { alias, ...rest } = payload;
  return {
    ...rest,
    ...(alias != null ? { alias } : {}),
    id: record.id,
    created: record.created,
    creator: CREATOR,
    updated: record.updated,
    updater: CREATOR,
    state,
  };
}

/** Gives every element (nested ones too) an `id`, keeping ids the caller chose. */
function withIds(record: NotificationRecord, elements: unknown[]): Json[] {
  return elements.map((raw) => {
    const element = { ...(raw as Json) };
    if (typeof element.id !== "string" || element.id === "") {
      record.elementIds++;
      element.id = `elem_${record.elementIds}`;
    }
    if (Array.isArray(element.elements)) {
      element.elements = withIds(record, element.elements);
    }
    return element;
  });
}

function elementsOf(payload: Payload): Json[] {
  return payload.content.elements as unknown as Json[];
}

function setElements(record: NotificationRecord, elements: Json[], version?: string): void {
  record.draft = {
    ...record.draft,
    content: {
      version: version ?? record.draft.content.version ?? DEFAULT_CONTENT_VERSION,
      elements: elements as unknown as Payload["content"]["elements"],
    },
  };
}

/** Depth-first search through nested `elements`, giving the element and a way to replace it. */
function findElement(elements: Json[], id: string): { element: Json; replace: (next: Json) => void } | undefined {
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i] as Json;
    if (element.id === id) {
      return { element, replace: (next) => elements.splice(i, 1, next) };
    }
    if (Array.isArray(element.elements)) {
      const found = findElement(element.elements as Json[], id);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

/** Content with checksums: each element's over its own fields, each locale's over its override. */
function checksummed(elements: Json[]): Schemas["ElementWithChecksums"][] {
  return elements.map((element) => {
    const out: Schemas["ElementWithChecksums"] = {
      ...element,
      type: typeof element.type === "string" ? element.type : "text",
      checksum: md5(element),
    };
    if (Array.isArray(element.elements)) {
      out.elements = checksummed(element.elements as Json[]);
    }
    if (element.locales && typeof element.locales === "object") {
      out.locales = Object.fromEntries(
        Object.entries(element.locales as Json).map(([locale, value]) => [
          locale,
          { ...(value as Json), checksum: md5(value) },
        ]),
      );
    }
    return out;
  });
}

function mutation(record: NotificationRecord, state: State): Schemas["NotificationContentMutationResponse"] {
  const elements = elementsOf(record.draft);
  return {
    id: record.id,
    elements: elements.map((e) => ({ id: String(e.id), checksum: md5(e) })),
    state,
    version: record.draft.content.version,
  };
}

/** Snapshots the draft as the next version and points `published` at it. */
function publishDraft(record: NotificationRecord, now: number): void {
  if (!hasChanges(record)) {
    return;
  }
  record.made++;
  const version = `v${record.made}`;
  record.versions.push({ version, payload: structuredClone(record.draft), created: now });
  record.published = version;
  if (record.versions.length > NOTIFICATION_VERSION_CAP) {
    record.versions.splice(
      record.versions.findIndex((v) => v.version !== record.published),
      1,
    );
  }
}

/** Applies a write's `state`: DRAFT (the default) leaves the change unpublished. */
function finish(store: Store, record: NotificationRecord, state: State | undefined, now: number): State {
  record.updated = now;
  if (state === "PUBLISHED") {
    publishDraft(record, now);
    audit(store, now, "notification:published", record.id);
    return "PUBLISHED";
  }
  return "DRAFT";
}

function create(store: Store, id: string, payload: Payload, now: number): NotificationRecord {
  const record: NotificationRecord = {
    id,
    created: now,
    updated: now,
    draft: payload,
    versions: [],
    made: 0,
    elementIds: 0,
    checks: new Map(),
  };
  setElements(record, withIds(record, payload.content.elements), payload.content.version);
  notifications(store).set(id, record);
  return record;
}

/** The templates that use a routing strategy (draft or published copy), for `/routing-strategies/{id}/notifications`. */
export function notificationsUsing(store: Store, strategyId: string): Schemas["NotificationTemplateSummary"][] {
  return [...notifications(store).values()]
    .filter((r) => [r.draft, publishedSnapshot(r)?.payload].some((p) => p?.routing?.strategy_id === strategyId))
    .map((r) => ({
      id: r.id,
      created: r.created,
      creator: CREATOR,
      name: r.draft.name,
      state: hasChanges(r) ? "DRAFT" : "PUBLISHED",
      tags: r.draft.tags,
      ...(r.draft.subscription ? { topic_id: r.draft.subscription.topic_id } : {}),
      updated: r.updated,
      updater: CREATOR,
    }));
}

/** Block types the V1 content view knows; other elements are left out of it. */
const BLOCK_TYPES = new Set(["action", "divider", "image", "jsonnet", "list", "markdown", "quote", "template", "text"]);

export const notificationRoutes = [
  // One row per template, from its working copy. The list shape carries routing as channels, so a
  // template's channel elements are its channels.
  route("get", "/notifications", ({ query, store }) => {
    const rows = [...notifications(store).values()].map((r) => ({
      id: r.id,
      created_at: r.created,
      updated_at: r.updated,
      title: r.draft.name,
      routing: {
        method: "single" as const,
        channels: elementsOf(r.draft)
          .filter((e) => e.type === "channel" && typeof e.channel === "string")
          .map((e) => String(e.channel)),
      },
      tags: { data: r.draft.tags.map((tag) => ({ id: tag, name: tag })) },
      topic_id: r.draft.subscription?.topic_id ?? "",
      note: "",
      event_ids: [],
    }));
    const { items, paging } = page(rows, query.get("cursor"));
    return { status: 200, body: { results: items, paging } };
  }),

  route("post", "/notifications", ({ body, store, now }) => {
    const record = create(store, store.nextId(now), body.notification, now);
    audit(store, now, "notification:created", record.id);
    const state = finish(store, record, body.state, now);
    return { status: 200, body: view(record, record.draft, state) };
  }),

  route("get", "/notifications/{id}", ({ params, query, store }) => {
    const record = recordOf(store, params.id ?? "");
    const { payload, state } = resolve(record, query.get("version"));
    return { status: 200, body: view(record, payload, state) };
  }),

  // Replaces the working copy; element ids the caller keeps stay, new elements get new ones.
  route("put", "/notifications/{id}", ({ params, body, store, now }) => {
    const record = recordOf(store, params.id ?? "");
    record.draft = body.notification;
    setElements(record, withIds(record, body.notification.content.elements), body.notification.content.version);
    audit(store, now, "notification:updated", record.id);
    const state = finish(store, record, body.state, now);
    return { status: 200, body: view(record, record.draft, state) };
  }),

  route("delete", "/notifications/{id}", ({ params, store, now }) => {
    const record = recordOf(store, params.id ?? "");
    notifications(store).delete(record.id);
    audit(store, now, "notification:archived", record.id);
    return { status: 204, body: undefined };
  }),

  // The draft first, then published versions, newest first.
  route("get", "/notifications/{id}/versions", ({ params, query, store }) => {
    const record = recordOf(store, params.id ?? "");
    const rows = [
      { version: "draft", created: record.updated, creator: CREATOR, has_changes: hasChanges(record) },
      ...[...record.versions].reverse().map((v) => ({ version: v.version, created: v.created, creator: CREATOR })),
    ];
    const { items, paging } = page(rows, query.get("cursor"), limitOf(query));
    return { status: 200, body: { versions: items, paging } };
  }),

  // No version: snapshot the draft as the next version. A version: make that snapshot the published one.
  route("post", "/notifications/{id}/publish", ({ params, body, store, now }) => {
    const record = recordOf(store, params.id ?? "");
    const version = body?.version;
    if (version && version !== "draft") {
      if (!record.versions.some((v) => v.version === version)) {
        throw notFound(`Version ${version} of notification ${record.id} not found`);
      }
      record.published = version;
    } else {
      publishDraft(record, now);
    }
    record.updated = now;
    audit(store, now, "notification:published", record.id);
    return { status: 204, body: undefined };
  }),

  route("get", "/notifications/{id}/content", ({ params, query, store }) => {
    const record = recordOf(store, params.id ?? "");
    const { payload } = resolve(record, query.get("version"));
    return { status: 200, body: { elements: checksummed(elementsOf(payload)), version: payload.content.version } };
  }),

  route("put", "/notifications/{id}/content", ({ params, body, store, now }) => {
    const record = recordOf(store, params.id ?? "");
    setElements(record, withIds(record, body.content.elements), body.content.version);
    audit(store, now, "notification:content:updated", record.id);
    return { status: 200, body: mutation(record, finish(store, record, body.state, now)) };
  }),

  // Updates one element in place: the body's fields and `data` are merged over it, its id kept.
  route("put", "/notifications/{id}/elements/{elementId}", ({ params, body, store, now }) => {
    const record = recordOf(store, params.id ?? "");
    const elements = structuredClone(elementsOf(record.draft));
    const id = params.elementId ?? "";
    const found = findElement(elements, id);
    if (!found) {
      throw notFound(`Element ${id} not found in notification ${record.id}`);
    }
    const { state, data, ...fields } = body;
    found.replace({ ...found.element, ...fields, ...data, id });
    setElements(record, elements);
    audit(store, now, "notification:content:updated", record.id);
    return { status: 200, body: mutation(record, finish(store, record, state, now)) };
  }),

  // Sets each named element's override for the locale; every id must name an existing element.
  route("put", "/notifications/{id}/locales/{localeId}", ({ params, body, store, now }) => {
    const record = recordOf(store, params.id ?? "");
    const locale = params.localeId ?? "";
    const elements = structuredClone(elementsOf(record.draft));
    const targets = body.elements.map(({ id, ...override }) => {
      const found = findElement(elements, id);
      if (!found) {
        throw badRequest(`Element ${id} not found in notification ${record.id}`);
      }
      return { found, override };
    });
    for (const { found, override } of targets) {
      const locales = (found.element.locales ?? {}) as Json;
      // A computed key defines an own property even for "__proto__", so a locale id cannot touch a prototype.
      found.replace({ ...found.element, locales: { ...locales, [locale]: override } });
    }
    setElements(record, elements);
    audit(store, now, "notification:locale:updated", record.id);
    return { status: 200, body: mutation(record, finish(store, record, body.state, now)) };
  }),

  route("get", "/notifications/{id}/{submissionId}/checks", ({ params, store }) => {
    const record = recordOf(store, params.id ?? "");
    return { status: 200, body: { checks: record.checks.get(params.submissionId ?? "") ?? [] } };
  }),

  route("put", "/notifications/{id}/{submissionId}/checks", ({ params, body, store, now }) => {
    const record = recordOf(store, params.id ?? "");
    const checks = body.checks.map((check) => ({ ...check, updated: now }));
    record.checks.set(params.submissionId ?? "", checks);
    audit(store, now, "notification:checks:updated", record.id);
    return { status: 200, body: { checks } };
  }),

  // Cancelling a submission drops its checks; cancelling one with none is not an error.
  route("delete", "/notifications/{id}/{submissionId}/checks", ({ params, store, now }) => {
    const record = recordOf(store, params.id ?? "");
    record.checks.delete(params.submissionId ?? "");
    audit(store, now, "notification:submission:canceled", record.id);
    return { status: 204, body: undefined };
  }),

  // The older, block-based view of the draft: channel elements become channels, the rest blocks.
  route("get", "/notifications/{id}/draft/content", ({ params, store }) => {
    const record = recordOf(store, params.id ?? "");
    const elements = elementsOf(record.draft);
    const channels = elements
      .filter((e) => e.type === "channel")
      .map((e) => ({ id: String(e.id), type: typeof e.channel === "string" ? e.channel : null, checksum: md5(e) }));
    const blocks = elements
      .filter((e) => typeof e.type === "string" && BLOCK_TYPES.has(e.type))
      .map((e) => ({
        id: String(e.id),
        type: e.type as Schemas["BlockType"],
        checksum: md5(e),
        ...(typeof e.content === "string" ? { content: e.content } : {}),
      }));
    return { status: 200, body: { blocks, channels, checksum: md5(elements) } };
  }),
];

type NotificationSeed = Partial<Payload> & { id: string; state?: State };

/**
 * Seed hook: inserts notification templates with known ids. Each item is a `POST /notifications`
 * `notification` plus `id`; `brand`, `routing`, `subscription` default to null and `tags` to `[]`.
 * Seeded templates are published unless `state` is `"DRAFT"`.
 *
 * @example
 * ```ts
 * notificationsSeed.load(store, [{ id: "WELCOME", name: "Welcome", content: { version: "2022-01-01", elements: [] } }], Date.now());
 * ```
 */
export const notificationsSeed = {
  key: "notifications" as const,
  load(store: Store, items: unknown[], now: number): void {
    items.forEach((item, i) => {
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        throw new Error(`notifications[${i}]: must be an object`);
      }
      const { id, state, ...fields } = item as NotificationSeed;
      const notification = { brand: null, routing: null, subscription: null, tags: [], ...fields };
      // The spec writes these three as `nullable` beside an `allOf`, which no JSON Schema validator reads
      // as admitting null; Courier does (null means "none"), so a null is checked as if it were absent.
      const checked = {
        ...notification,
        brand: notification.brand ?? { id: "-" },
        routing: notification.routing ?? { strategy_id: "-" },
        subscription: notification.subscription ?? { topic_id: "-" },
      };
      const problem = validateBody("post", "/notifications", { notification: checked, ...(state ? { state } : {}) });
      if (problem || typeof id !== "string" || id === "") {
        throw new Error(`notifications[${i}]: ${problem ?? "id is required"}`);
      }
      const record = create(store, id, notification as Payload, now);
      if (state !== "DRAFT") {
        publishDraft(record, now);
      }
    });
  },
};

/**
 * The `notifications` key of `EmulatorSeed`: `POST /notifications` bodies with their `id`
 * (`{ id, notification, state? }`), published unless `state` is `"DRAFT"`.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({
 *   seed: { notifications: [{ id: "WELCOME", notification: { name: "Welcome", content: { version: "2022-01-01", elements: [] } } }] },
 * });
 * ```
 */
export const notificationSeed = defineSeed("notifications", (store, items, now) => {
  notificationsSeed.load(
    store,
    items.map((item) =>
      isObject(item) && isObject(item.notification) ? { ...item.notification, id: item.id, state: item.state } : item,
    ),
    now,
  );
});
