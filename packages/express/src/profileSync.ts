import { createHash } from "node:crypto";
import type { CourierClient } from "@courier-ts/client";
import { unwrap } from "@courier-ts/client";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { LruCache } from "./lru.js";

/** The signed-in user as the app knows them. */
export interface SyncUser {
  id: string;
  /** Courier profile fields: `email`, `phone_number`, `name`, ... */
  profile: Record<string, unknown>;
  /** Lists the user should be subscribed to (added, never removed). */
  lists?: string[];
}

export interface ProfileSyncOptions {
  client: CourierClient;
  /** The signed-in user, or nothing (then no sync). Runs after the app's auth. */
  getUser: (req: Request) => SyncUser | null | undefined | Promise<SyncUser | null | undefined>;
  /** Called with every sync that failed after the client's retries. The next request retries it. */
  onError?: (error: unknown, context: { userId: string }) => void;
  /** How long a successful sync is trusted, in ms. Default 1 hour. */
  ttlMs?: number;
  /** Users whose last synced digest is remembered. Default 10,000. */
  maxEntries?: number;
  /** Syncs waiting to run; beyond this, new ones are dropped (and retried by a later request). Default 1,000. */
  maxQueue?: number;
  /** Syncs running at once. Default 4. */
  concurrency?: number;
}

/** Counters for tests and metrics. */
export interface ProfileSyncStats {
  /** Upstream calls started. */
  synced: number;
  /** Requests whose profile matched the last successful sync. */
  unchanged: number;
  /** Requests folded into a sync already queued or running for that user. */
  coalesced: number;
  failed: number;
  /** Syncs dropped because the queue was full. */
  dropped: number;
  queued: number;
  running: number;
}

/** The middleware, plus `flush()` for graceful shutdown and `stats()`. */
export type ProfileSyncMiddleware = RequestHandler & {
  /** Resolves when every queued and running sync has finished. */
  flush(): Promise<void>;
  /**
   * Syncs one user now (e.g. at sign-in, before answering), through the same cache and queue; resolves
   * when the queue has drained. Failures still go to `onError`.
   */
  syncNow(user: SyncUser): Promise<void>;
  stats(): ProfileSyncStats;
};

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableStringify).join(",")}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function digestOf(user: SyncUser): string {
  return createHash("sha256")
    .update(stableStringify({ profile: user.profile, lists: [...(user.lists ?? [])].sort() }))
    .digest("base64url");
}

/**
 * Keeps each signed-in user's Courier profile in sync (merge), without ever delaying or failing the
 * app's request. A user is synced only when their profile changed since the last successful sync;
 * concurrent requests for one user share one upstream call; work runs in the background through a
 * bounded queue with the client's retries.
 *
 * @example
 * ```ts
 * const sync = courierProfileSync({
 *   client: courier,
 *   getUser: (req) => req.user && { id: req.user.id, profile: { email: req.user.email, name: req.user.name } },
 *   onError: (error, { userId }) => log.warn({ userId, error }, "courier profile sync failed"),
 * });
 * app.use(auth, sync);
 * process.on("SIGTERM", () => sync.flush().then(() => process.exit(0)));
 * ```
 */
export function courierProfileSync(options: ProfileSyncOptions): ProfileSyncMiddleware {
  const synced = new LruCache<string, string>(options.maxEntries ?? 10_000, options.ttlMs ?? 3_600_000);
  const maxQueue = options.maxQueue ?? 1_000;
  const concurrency = options.concurrency ?? 4;
  /** userId → the latest wanted state, waiting or running. */
  const pending = new Map<string, { user: SyncUser; digest: string; running: boolean; rerun?: SyncUser }>();
  const queue: string[] = [];
  const counters = { synced: 0, unchanged: 0, coalesced: 0, failed: 0, dropped: 0 };
  let running = 0;
  /** getUser() calls not yet resolved: their syncs are not queued yet, but flush() must wait for them. */
  let lookups = 0;
  let idle: Array<() => void> = [];

  function settle(): void {
    if (running === 0 && queue.length === 0 && lookups === 0) {
      const waiters = idle;
      idle = [];
      for (const resolve of waiters) {
        resolve();
      }
    }
  }

  async function sync(user: SyncUser): Promise<void> {
    const path = { user_id: user.id };
    await unwrap(options.client.POST("/profiles/{user_id}", { params: { path }, body: { profile: user.profile } }));
    if (user.lists && user.lists.length > 0) {
      await unwrap(
        options.client.POST("/profiles/{user_id}/lists", {
          params: { path },
          body: { lists: user.lists.map((listId) => ({ listId })) },
        }),
      );
    }
  }

  function pump(): void {
    while (running < concurrency && queue.length > 0) {
      const userId = queue.shift() as string;
      const job = pending.get(userId);
      if (!job) {
        continue;
      }
      job.running = true;
      running++;
      counters.synced++;
      sync(job.user)
        .then(
          () => synced.set(userId, job.digest),
          (error: unknown) => {
            counters.failed++;
            try {
              options.onError?.(error, { userId });
            } catch {
              // An error hook that throws must not break the queue.
            }
          },
        )
        .finally(() => {
          running--;
          const next = job.rerun;
          pending.delete(userId);
          if (next) {
            enqueue(next, digestOf(next));
          }
          pump();
          settle();
        });
    }
  }

  function enqueue(user: SyncUser, digest: string): void {
    const job = pending.get(user.id);
    if (job) {
      counters.coalesced++;
      if (job.digest !== digest) {
        if (job.running) {
          job.rerun = user;
        } else {
          job.user = user;
          job.digest = digest;
        }
      }
      return;
    }
    if (queue.length >= maxQueue) {
      counters.dropped++;
      return;
    }
    pending.set(user.id, { user, digest, running: false });
    queue.push(user.id);
    pump();
  }

  /** Queues the user unless their profile matches the last successful sync; true when queued. */
  function syncIfChanged(user: SyncUser): boolean {
    const digest = digestOf(user);
    if (synced.get(user.id) === digest) {
      counters.unchanged++;
      return false;
    }
    enqueue(user, digest);
    return true;
  }

  const middleware = ((req: Request, _res: Response, next: NextFunction) => {
    // The app's request goes on at once; the sync happens on the side.
    next();
    lookups++;
    Promise.resolve()
      .then(() => options.getUser(req))
      .then((user) => {
        if (!user || typeof user.id !== "string" || user.id === "") {
          return;
        }
        syncIfChanged(user);
      })
      .catch((error: unknown) => {
        try {
          options.onError?.(error, { userId: "" });
        } catch {
          // An error hook that throws must not reach the app.
        }
      })
      .finally(() => {
        lookups--;
        settle();
      });
  }) as ProfileSyncMiddleware;

  middleware.flush = () =>
    new Promise<void>((resolve) => {
      idle.push(resolve);
      settle();
    });
  middleware.stats = () => ({ ...counters, queued: queue.length, running });
  middleware.syncNow = (user: SyncUser) => (syncIfChanged(user) ? middleware.flush() : Promise.resolve());
  return middleware;
}
