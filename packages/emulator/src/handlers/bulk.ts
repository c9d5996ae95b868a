import type { components } from "@courier-ts/core";
import { badRequest, conflict, notFound } from "../errors.js";
import { decodeCursor, page } from "../paging.js";
import { route } from "../router.js";
import { recordSend } from "../send.js";
import { type Json, type Store, slot } from "../store.js";
import { mergeProfile } from "./profiles.js";

type Schemas = components["schemas"];

/** A user of a job as `GET /bulk/{job_id}/users` shows it. */
export type BulkUserRecord = Schemas["InboundBulkMessageUser"] & {
  status: "PENDING" | "ENQUEUED" | "ERROR";
  messageId?: string;
};

/** Per-user outcome codes in `BulkJobRecord.outcomes`; 0, the initial value, is pending. */
const ENQUEUED = 1;
/** Enqueued to several recipients (a list or audience `to`): the first message id has a `-1` suffix. */
const ENQUEUED_MANY = 2;
const FAILED = 3;

/**
 * A bulk job, as `bulkOf(state).jobs` holds it: its definition, its users as received and their outcomes.
 *
 * @example
 * ```ts
 * expect(bulkOf(emulator.state).jobs.get(jobId)?.status).toBe("COMPLETED");
 * ```
 */
export interface BulkJobRecord {
  id: string;
  definition: Schemas["InboundBulkMessage"];
  /**
   * The users as received. Their outcome is one byte each in `outcomes`, and their message id is derived
   * from the job id and their position (see `userView`), so that a million users cost little more than
   * their own JSON.
   */
  users: Array<Schemas["InboundBulkMessageUser"]>;
  outcomes: Uint8Array;
  /** CREATED until run; PROCESSING while its users are sent, a step at a time; then COMPLETED or ERROR. */
  status: "CREATED" | "PROCESSING" | "COMPLETED" | "ERROR";
  created: number;
  enqueued: number;
  failures: number;
  /** Index of the next user to send while PROCESSING. */
  next: number;
}

/** Jobs in creation order; their users count toward `retention.bulkUsers`, oldest jobs dropped first. */
export class BulkState {
  readonly jobs = new Map<string, BulkJobRecord>();
  users = 0;

  constructor(readonly cap: number) {}

  /** Makes room for `count` more users in `job`, evicting the oldest other jobs; 400 if it cannot fit. */
  reserve(job: BulkJobRecord, count: number): void {
    if (job.users.length + count > this.cap) {
      throw badRequest(`A bulk job holds at most ${this.cap} users in the emulator (retention.bulkUsers)`);
    }
    for (const oldest of this.jobs.values()) {
      if (this.users + count <= this.cap) {
        break;
      }
      if (oldest !== job) {
        this.jobs.delete(oldest.id);
        this.users -= oldest.users.length;
        // A job still sending stops: its status no longer matters once it is gone.
        oldest.next = oldest.users.length;
      }
    }
    this.users += count;
    const needed = job.users.length + count;
    if (job.outcomes.length < needed) {
      const grown = new Uint8Array(Math.max(needed, job.outcomes.length * 2));
      grown.set(job.outcomes);
      job.outcomes = grown;
    }
  }
}

/** The request (and, for one recipient, message) id of the `index`th user of a job. */
function requestIdOf(job: BulkJobRecord, index: number): string {
  return `${job.id}-${(index + 1).toString(16)}`;
}

/** A user as `GET /bulk/{job_id}/users` shows it. */
export function userView(job: BulkJobRecord, index: number): BulkUserRecord {
  const outcome = job.outcomes[index];
  const user = job.users[index] as Schemas["InboundBulkMessageUser"];
  if (outcome === ENQUEUED || outcome === ENQUEUED_MANY) {
    const requestId = requestIdOf(job, index);
    return { ...user, status: "ENQUEUED", messageId: outcome === ENQUEUED ? requestId : `${requestId}-1` };
  }
  return { ...user, status: outcome === FAILED ? "ERROR" : "PENDING" };
}

/**
 * The bulk jobs.
 *
 * @example
 * ```ts
 * expect(bulkOf(emulator.state).jobs.get(jobId)?.status).toBe("COMPLETED");
 * ```
 */
export const bulkOf = slot("bulk", (store: Store) => new BulkState(store.retention.bulkUsers));

/** Users sent per background step of a run: small enough to keep the server answering between steps. */
export const BULK_STEP = 500;

function job(store: Store, id: string): BulkJobRecord {
  const found = bulkOf(store).jobs.get(id);
  if (!found) {
    throw notFound("Job Not Found");
  }
  return found;
}

/** Sends the next `BULK_STEP` users of a running job; returns whether users remain. */
function sendStep(store: Store, found: BulkJobRecord, now: number): boolean {
  const definition = found.definition as Json & { data?: Json; template?: string; content?: unknown };
  const event = typeof definition.event === "string" ? definition.event : "";
  const end = Math.min(found.users.length, found.next + BULK_STEP);
  for (; found.next < end; found.next++) {
    const user = found.users[found.next] as Schemas["InboundBulkMessageUser"];
    const userId = user.recipient ?? undefined;
    const profile = (user.profile ?? {}) as Json;
    const to =
      (user.to as Json | undefined) ??
      (userId
        ? { user_id: userId, ...profile }
        : typeof profile.email === "string"
          ? { email: profile.email }
          : undefined);
    let messages: Array<{ id: string }> = [];
    if (to) {
      if (userId && Object.keys(profile).length > 0) {
        mergeProfile(store, userId, profile, now);
      }
      try {
        messages = recordSend(
          store,
          {
            to,
            template: definition.template ?? (definition.content ? undefined : event),
            content: definition.content,
            data: { ...(definition.data ?? {}), ...((user.data as Json | undefined) ?? {}) },
          },
          { requestId: requestIdOf(found, found.next), now, source: "bulk", event },
        );
      } catch {
        // A user whose `to` cannot be sent fails alone (the job goes on), as in Courier.
        messages = [];
      }
    }
    found.outcomes[found.next] = messages.length === 0 ? FAILED : messages.length === 1 ? ENQUEUED : ENQUEUED_MANY;
    if (messages.length > 0) {
      found.enqueued++;
    } else {
      found.failures++;
    }
  }
  if (found.next < found.users.length) {
    return true;
  }
  // ERROR only when every user failed; an empty job completes.
  found.status = found.users.length > 0 && found.enqueued === 0 ? "ERROR" : "COMPLETED";
  return false;
}

export const bulkRoutes = [
  // 201 Created with the job id; `message.event` is required.
  route("post", "/bulk", ({ body, store, now }) => {
    if (!body.message.event) {
      throw badRequest("message.event is required");
    }
    const id = store.nextId(now);
    bulkOf(store).jobs.set(id, {
      id,
      definition: body.message,
      users: [],
      outcomes: new Uint8Array(0),
      status: "CREATED",
      created: now,
      enqueued: 0,
      failures: 0,
      next: 0,
    });
    store.recordEffect("POST /bulk");
    return { status: 201, body: { jobId: id } };
  }),

  // May be called many times before the run; a job that ran takes no more users.
  route("post", "/bulk/{job_id}", ({ params, body, store }) => {
    const found = job(store, params.job_id ?? "");
    if (found.status !== "CREATED") {
      throw conflict("The job has already been run");
    }
    bulkOf(store).reserve(found, body.users.length);
    for (const user of body.users) {
      found.users.push(user);
    }
    return { status: 204, body: undefined };
  }),

  // A job can be run only once. It answers at once; the users are sent in the background, BULK_STEP at a
  // time, while `GET /bulk/{job_id}` shows PROCESSING and the counts growing.
  route("post", "/bulk/{job_id}/run", ({ params, store, env }) => {
    const found = job(store, params.job_id ?? "");
    if (found.status !== "CREATED") {
      throw conflict("The job has already been run");
    }
    found.status = "PROCESSING";
    env.schedule((now) => sendStep(store, found, now));
    return { status: 204, body: undefined };
  }),

  route("get", "/bulk/{job_id}", ({ params, store }) => {
    const found = job(store, params.job_id ?? "");
    return {
      status: 200,
      body: {
        job: {
          definition: found.definition,
          enqueued: found.enqueued,
          failures: found.failures,
          received: found.users.length,
          status: found.status,
        },
      },
    };
  }),

  route("get", "/bulk/{job_id}/users", ({ params, query, store }) => {
    const found = job(store, params.job_id ?? "");
    const { items, paging } = page(found.users, query.get("cursor"));
    const offset = query.get("cursor") ? decodeCursor("o", query.get("cursor") ?? "") : 0;
    return { status: 200, body: { items: items.map((_, i) => userView(found, offset + i)), paging } };
  }),
];
