import { badRequest, conflict, notFound } from "../errors.js";
import { page } from "../paging.js";
import { route } from "../router.js";
import { recordSend } from "../send.js";
import type { BulkJobRecord, Json, Store } from "../store.js";

function job(store: Store, id: string): BulkJobRecord {
  const found = store.bulkJobs.get(id);
  if (!found) {
    throw notFound("Job Not Found");
  }
  return found;
}

export const bulkRoutes = [
  // Seed 001: 201 Created with the job id; `message.event` is required.
  route("post", "/bulk", ({ body, store, now }) => {
    if (!body.message.event) {
      throw badRequest("message.event is required");
    }
    const id = store.nextId(now);
    store.bulkJobs.set(id, { id, definition: body.message, users: [], status: "CREATED", created: now });
    store.recordEffect("POST /bulk");
    return { status: 201, body: { jobId: id } };
  }),

  // May be called many times before the run; a job that ran takes no more users.
  route("post", "/bulk/{job_id}", ({ params, body, store }) => {
    const found = job(store, params.job_id ?? "");
    if (found.status !== "CREATED") {
      throw conflict("The job has already been run");
    }
    for (const user of body.users) {
      found.users.push({ ...user, status: "PENDING" });
    }
    return { status: 204, body: undefined };
  }),

  // A job can be run only once. Per-user data is merged over message.data.
  route("post", "/bulk/{job_id}/run", ({ params, store, now }) => {
    const found = job(store, params.job_id ?? "");
    if (found.status !== "CREATED") {
      throw conflict("The job has already been run");
    }
    found.status = "PROCESSING";
    const definition = found.definition as Json & { data?: Json; template?: string; content?: unknown };
    for (const user of found.users) {
      const userId = user.recipient ?? undefined;
      const profile = (user.profile ?? {}) as Json;
      const to =
        (user.to as Json | undefined) ??
        (userId
          ? { user_id: userId, ...profile }
          : typeof profile.email === "string"
            ? { email: profile.email }
            : undefined);
      if (!to) {
        user.status = "ERROR";
        continue;
      }
      if (userId && Object.keys(profile).length > 0) {
        const stored = store.profiles.get(userId);
        store.profiles.set(userId, {
          profile: { ...stored?.profile, ...profile },
          created: stored?.created ?? now,
          updated: now,
        });
      }
      const requestId = store.nextId(now);
      const [message] = recordSend(
        store,
        {
          to,
          template: definition.template ?? (definition.content ? undefined : String(definition.event)),
          content: definition.content,
          data: { ...(definition.data ?? {}), ...((user.data as Json | undefined) ?? {}) },
        },
        { requestId, now, source: "bulk", event: String(definition.event) },
      );
      user.status = message ? "ENQUEUED" : "ERROR";
      user.messageId = message?.id;
    }
    // ERROR only when every user failed; an empty job completes.
    found.status = found.users.length > 0 && found.users.every((u) => u.status === "ERROR") ? "ERROR" : "COMPLETED";
    return { status: 204, body: undefined };
  }),

  route("get", "/bulk/{job_id}", ({ params, store }) => {
    const found = job(store, params.job_id ?? "");
    return {
      status: 200,
      body: {
        job: {
          definition: found.definition,
          enqueued: found.users.filter((u) => u.status === "ENQUEUED").length,
          failures: found.users.filter((u) => u.status === "ERROR").length,
          received: found.users.length,
          status: found.status,
        },
      },
    };
  }),

  route("get", "/bulk/{job_id}/users", ({ params, query, store }) => {
    const found = job(store, params.job_id ?? "");
    const { items, paging } = page(found.users, query.get("cursor"));
    return { status: 200, body: { items, paging } };
  }),
];
