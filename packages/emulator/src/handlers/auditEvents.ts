import { notFound } from "../errors.js";
import { page } from "../paging.js";
import { route } from "../router.js";
import { type Store, slot } from "../store.js";

/** Oldest events are dropped past this many, so a long-running emulator stays bounded. */
export const AUDIT_EVENT_CAP = 10_000;

interface AuditEventRecord {
  auditEventId: string;
  actor: { id: string };
  target: string;
  source: string;
  timestamp: string;
  type: string;
}

/** Insertion-ordered (oldest first); a Map's first key is the one to evict. */
const events = slot("auditEvents", () => new Map<string, AuditEventRecord>());

/**
 * Records that an API request changed a resource. `type` is `<resource>:<action>` (e.g. `brand:created`);
 * `target` is the resource's id (`<tenant_id>/<template_id>` for tenant templates). The actor is the
 * API key, never named.
 */
export function audit(store: Store, now: number, type: string, target: string): void {
  const log = events(store);
  const id = store.nextId(now);
  log.set(id, {
    auditEventId: id,
    actor: { id: "api_key" },
    target,
    source: "api",
    timestamp: new Date(now).toISOString(),
    type,
  });
  if (log.size > AUDIT_EVENT_CAP) {
    const oldest = log.keys().next().value;
    if (oldest !== undefined) {
      log.delete(oldest);
    }
  }
}

export const auditEventRoutes = [
  // Newest first, as an audit trail is read.
  route("get", "/audit-events", ({ query, store }) => {
    const { items, paging } = page([...events(store).values()].reverse(), query.get("cursor"));
    return { status: 200, body: { results: items, paging } };
  }),

  route("get", "/audit-events/{audit-event-id}", ({ params, store }) => {
    const event = events(store).get(params["audit-event-id"] ?? "");
    if (!event) {
      throw notFound();
    }
    return { status: 200, body: event };
  }),
];
