/**
 * Digests: events collected per user until a schedule releases them as one message.
 *
 * Courier configures digest schedules on a subscription topic in its UI; the API only reads a schedule's
 * instances and releases them. In the emulator a journey's `add-to-digest` node adds the run's event to
 * the user's open instance of the schedule whose id is the node's `subscription_topic_id`.
 * `POST /digests/schedules/{id}/trigger` completes every open instance and sends each user one message
 * (template: the schedule id, data: `{ event_count, events }`).
 */
import type { components } from "@courier-ts/core";
import { limitOf } from "../listing.js";
import { page } from "../paging.js";
import { route } from "../router.js";
import { recordSend } from "../send.js";
import { type Json, type Store, slot } from "../store.js";

type DigestInstance = components["schemas"]["DigestInstance"];

interface InstanceRecord {
  id: string;
  scheduleId: string;
  userId: string;
  tenantId?: string;
  created: number;
  events: Json[];
  completed?: number;
}

interface ScheduleRecord {
  /** Every instance, in the order they were opened. */
  instances: InstanceRecord[];
  /** user id → the user's latest instance (open unless completed). */
  latest: Map<string, InstanceRecord>;
}

const schedules = slot("digests", () => new Map<string, ScheduleRecord>());

const MAX_LIMIT = 100;

/** Adds an event to the user's open instance of a schedule, opening one if needed. */
export function addToDigest(
  store: Store,
  scheduleId: string,
  userId: string,
  event: Json,
  now: number,
  tenantId?: string,
): void {
  const schedule: ScheduleRecord = schedules(store).get(scheduleId) ?? { instances: [], latest: new Map() };
  schedules(store).set(scheduleId, schedule);
  let open = schedule.latest.get(userId);
  if (!open || open.completed !== undefined) {
    open = { id: store.nextId(now), scheduleId, userId, tenantId, created: now, events: [] };
    schedule.instances.push(open);
    schedule.latest.set(userId, open);
  }
  open.events.push(event);
}

function view(i: InstanceRecord): DigestInstance {
  return {
    digest_instance_id: i.id,
    user_id: i.userId,
    event_count: i.events.length,
    status: i.completed === undefined ? "IN_PROGRESS" : "COMPLETED",
    created_at: new Date(i.created).toISOString(),
    disabled: false,
    tenant_id: i.tenantId ?? null,
  };
}

export const digestRoutes = [
  // A schedule nothing was added to has no instances (an empty list, not 404: schedules are not API objects).
  route("get", "/digests/schedules/{schedule_id}/instances", ({ params, query, store }) => {
    const scheduleId = params.schedule_id ?? "";
    const all = schedules(store).get(scheduleId)?.instances ?? [];
    const { items, paging } = page(all, query.get("cursor"), limitOf(query, MAX_LIMIT, 20, "clamp"));
    const url = `/digests/schedules/${encodeURIComponent(scheduleId)}/instances`;
    return {
      status: 200,
      body: {
        type: "list",
        items: items.map(view),
        has_more: paging.more,
        cursor: paging.cursor,
        url,
        next_url: paging.cursor ? `${url}?cursor=${paging.cursor}` : null,
      },
    };
  }),

  route("post", "/digests/schedules/{schedule_id}/trigger", ({ params, store, now }) => {
    const scheduleId = params.schedule_id ?? "";
    for (const open of schedules(store).get(scheduleId)?.latest.values() ?? []) {
      if (open.completed !== undefined) {
        continue;
      }
      open.completed = now;
      recordSend(
        store,
        {
          to: { user_id: open.userId },
          template: scheduleId,
          data: { event_count: open.events.length, events: open.events },
          ...(open.tenantId ? { context: { tenant_id: open.tenantId } } : {}),
        },
        { requestId: store.nextId(now), now, source: "digest" },
      );
    }
    return { status: 204, body: undefined };
  }),
];
