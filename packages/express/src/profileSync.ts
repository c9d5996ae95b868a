import { hash } from "node:crypto";
import type { CourierClient, CourierClientOptions } from "@courier-ts/client";
import { isCourierApiError } from "@courier-ts/core";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { LruCache } from "./lru.js";
import { type ProfileSyncStore, withTimeout } from "./store.js";
import { syncUser } from "./syncCalls.js";
import { startSyncThread } from "./syncThreadHost.js";

/** The signed-in user as the app knows them. */
export interface SyncUser {
  id: string;
  /** Courier profile fields: `email`, `phone_number`, `name`, ... */
  profile: Record<string, unknown>;
  /** Lists the user should be subscribed to (added, never removed). */
  lists?: string[];
}

/**
 * The client options of the sync thread (`courierProfileSync({ thread })`): those of `createCourierClient`
 * that can be sent to another thread, so no `fetch` and no `logger`. The API key defaults to
 * `COURIER_API_KEY` as there, and a missing one throws when the middleware is created.
 */
export type ProfileSyncThreadOptions = Omit<CourierClientOptions, "fetch" | "logger">;

/** Options of {@link courierProfileSync}: `client`, or `thread` to make the upstream calls on a thread of their own. */
export type ProfileSyncOptions = ProfileSyncBaseOptions &
  (
    | {
        /** The client the syncs call Courier with, on the app's own thread. */
        client: CourierClient;
        thread?: undefined;
      }
    | {
        client?: undefined;
        /**
         * Makes the upstream calls in a worker thread, with a client of its own made from these options,
         * so that their work (requests, Node's `fetch`, answers, retries) does not run between the app's
         * requests. The lookups, comparisons and store checks stay on the app's thread.
         */
        thread: ProfileSyncThreadOptions;
      }
  );

/** The options of {@link courierProfileSync} besides its client. */
export interface ProfileSyncBaseOptions {
  /** The signed-in user, or nothing (then no sync). Runs after the app's auth. */
  getUser: (req: Request) => SyncUser | null | undefined | Promise<SyncUser | null | undefined>;
  /**
   * How long `getUser` may take, in ms. A lookup still pending then is given up (reported to `onError`),
   * so that one that never settles cannot hold up `flush()`. Default 5,000.
   */
  getUserTimeoutMs?: number;
  /** Called with every lookup or sync that failed (after the client's retries). Failed syncs are retried. */
  onError?: (error: unknown, context: { userId: string }) => void;
  /**
   * Shares "this profile is synced" between instances, so that N instances do not each upsert the same
   * unchanged profile (e.g. `createRedisStore` from `@courier-ts/express/redis`). Default: this process only.
   */
  store?: ProfileSyncStore;
  /**
   * How long a `store` call may take, in ms. A call that fails or takes longer is reported to `onError`,
   * and this instance's own memory of what it synced decides instead. Default 2,000.
   */
  storeTimeoutMs?: number;
  /** How long a successful sync is trusted, in ms. Default 1 hour. */
  ttlMs?: number;
  /** Users whose last synced digest is remembered in memory (without `store`). Default 10,000. */
  maxEntries?: number;
  /** Users waiting for a sync slot. Beyond it, a user waits for a retry instead. Default 1,000. */
  maxQueue?: number;
  /** Syncs running at once. Default 4. */
  concurrency?: number;
  /**
   * Delay before retrying a sync that failed or could not be queued, in ms; it doubles with each failed
   * attempt, up to 32 times. Default 30,000.
   */
  retryDelayMs?: number;
  /** Users remembered for a retry; beyond it, the oldest is dropped (and synced on their next request). Default 1,000. */
  maxRetries?: number;
  /** Attempts per change before it is dropped (until the user's next request). Default 10. */
  maxAttempts?: number;
}

/** Counters for tests and metrics. */
export interface ProfileSyncStats {
  /** Upstream syncs started. */
  synced: number;
  /** Requests whose profile matched the last successful sync (here or, with a store, on any instance). */
  unchanged: number;
  /** Requests folded into a sync already pending for that user. */
  coalesced: number;
  /** Syncs that failed (each is retried later). */
  failed: number;
  /** Changes given up: the retry list was full, or a change failed `maxAttempts` times or with a 4xx. */
  dropped: number;
  /** Users waiting for a retry. */
  retrying: number;
  queued: number;
  running: number;
}

/** The middleware, plus `flush()`, `close()`, `syncNow()` and `stats()`. */
export type ProfileSyncMiddleware = RequestHandler & {
  /**
   * Resolves when every lookup and sync in progress has finished (true), or after `timeoutMs` (false),
   * whichever is first. Retries scheduled for later are not waited for. Default timeout 10,000 ms.
   */
  flush(timeoutMs?: number): Promise<boolean>;
  /**
   * For shutdown: stops looking up new requests, gives scheduled retries one last try, waits like
   * `flush(timeoutMs)` and then aborts whatever upstream call is still running. Resolves true when all
   * finished in time.
   */
  close(timeoutMs?: number): Promise<boolean>;
  /**
   * Syncs one user now (e.g. at sign-in, before answering), through the same checks and queue; resolves
   * when the queue has drained (bounded like `flush()`). Failures still go to `onError`.
   */
  syncNow(user: SyncUser): Promise<void>;
  /** The counters since start, and the current queue and retry sizes: for metrics and health checks. */
  stats(): ProfileSyncStats;
};

/**
 * How long store checks wait to be sent together (see `checkLater`): a background sync starts at most this
 * much later, and the Redis store answers a whole window of requests with one script call.
 */
const STORE_BATCH_MS = 100;

/**
 * `strings` sorted in place by UTF-16 code units, as `Array.prototype.sort()` sorts them. Written out for
 * the few keys of a profile: V8's built-in sort allocates its working state (about 800 bytes) on every
 * call, and the digest runs on every request. Longer arrays go to the built-in sort.
 */
function sortStrings(strings: string[]): string[] {
  if (strings.length > 16) {
    return strings.sort();
  }
  for (let i = 1; i < strings.length; i++) {
    const item = strings[i] as string;
    let j = i - 1;
    while (j >= 0 && (strings[j] as string) > item) {
      strings[j + 1] = strings[j] as string;
      j--;
    }
    strings[j + 1] = item;
  }
  return strings;
}

/**
 * Whether the record's own keys are in sorted order and every member is a string, number, boolean, null
 * or undefined: then `JSON.stringify` writes its stable text as it is. Read with `for...in`, which walks
 * V8's cached key list instead of allocating one as `Object.keys` does (this runs on every request).
 */
function isFlatAndSorted(record: Record<string, unknown>): boolean {
  let previous: string | undefined;
  for (const key in record) {
    if (!Object.hasOwn(record, key) || (previous !== undefined && previous >= key)) {
      return false;
    }
    const member = record[key];
    const type = typeof member;
    if (member !== null && type !== "string" && type !== "number" && type !== "boolean" && type !== "undefined") {
      return false;
    }
    previous = key;
  }
  return true;
}

/** JSON with object keys sorted (and `undefined` members left out), so that equal states read the same. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      out += `${i > 0 ? "," : ""}${stableStringify(value[i])}`;
    }
    return `${out}]`;
  }
  if (value && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON !== "function") {
    const record = value as Record<string, unknown>;
    if (isFlatAndSorted(record)) {
      // The common profile: JSON.stringify writes the very same text in one native call.
      return JSON.stringify(record);
    }
    let out = "{";
    for (const key of sortStrings(Object.keys(record))) {
      const member = record[key];
      if (member !== undefined) {
        out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${stableStringify(member)}`;
      }
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The stable JSON of a user's lists, sorted (`[]` for none). */
function listsText(user: SyncUser): string {
  return user.lists && user.lists.length > 0 ? stableStringify(sortStrings([...user.lists])) : "[]";
}

/**
 * What the store and the LRU keep of a user's state: the SHA-256 of the stable JSON of
 * `{ lists: [...sorted], profile }`, written out without building that object.
 */
function digestOf(lists: string, profile: string): string {
  return hash("sha256", `{"lists":${lists},"profile":${profile}}`, "base64url");
}

/**
 * Texts up to this length are remembered with their digest, per user, so that an unchanged state is
 * compared as text instead of hashed again on every request (at most `maxEntries` of them: about 5 MB at
 * the defaults). A longer state is hashed on every request.
 */
const MEMO_MAX_CHARS = 256;

/** What `call` returns, as a promise; a call that throws at once becomes a rejection. */
function attempt<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What a store answered instead of a flag per key, for the error message. */
const describeAnswer = (answer: unknown) => (Array.isArray(answer) ? `${answer.length} flags` : typeof answer);

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** A wanted state of one user's profile. */
interface Change {
  user: SyncUser;
  digest: string;
  /** Failed attempts so far. */
  attempts: number;
}

/** The one pending change per user: checked against the store, waiting for a slot, or running. */
interface Job extends Change {
  phase: "checking" | "queued" | "running";
  /** A newer state that arrived while this one was being checked or synced: it runs next. */
  next?: Change;
}

/** Courier refused the profile itself: trying again will not help. */
function isPermanent(error: unknown): boolean {
  return isCourierApiError(error) && error.status < 500 && ![408, 409, 429].includes(error.status);
}

/**
 * Keeps each signed-in user's Courier profile in sync (merge), without ever delaying or failing the
 * app's request. A user is synced only when their profile changed since the last successful sync;
 * requests for one user share one upstream call, and the last state seen wins; work runs in the
 * background through a bounded queue with the client's retries, and failed syncs are retried later.
 *
 * @example
 * ```ts
 * import { createCourierClient } from "@courier-ts/client";
 * import { courierProfileSync } from "@courier-ts/express";
 * import express from "express";
 *
 * declare const auth: express.RequestHandler; // your auth: sets req.user
 * declare global {
 *   namespace Express {
 *     interface Request { user?: { id: string; email: string; name: string } }
 *   }
 * }
 *
 * const sync = courierProfileSync({
 *   client: createCourierClient(),
 *   getUser: (req) => req.user && { id: req.user.id, profile: { email: req.user.email, name: req.user.name } },
 *   onError: (error, { userId }) => console.warn("courier profile sync failed", userId, error),
 * });
 * const app = express();
 * app.use(auth, sync);
 * process.on("SIGTERM", () => void sync.close().then(() => process.exit(0)));
 * ```
 */
export function courierProfileSync(options: ProfileSyncOptions): ProfileSyncMiddleware {
  const { client, store } = options;
  if ((client === undefined) === (options.thread === undefined)) {
    throw new TypeError("courierProfileSync() needs either `client` or `thread`");
  }
  const thread = options.thread ? startSyncThread(options.thread) : undefined;
  const ttlMs = options.ttlMs ?? 3_600_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const synced = new LruCache<string, string>(maxEntries, ttlMs);
  /** The last state's text seen per user, with its digest (see `MEMO_MAX_CHARS`). */
  const seen = new LruCache<string, { lists: string; profile: string; digest: string }>(maxEntries, ttlMs);
  const maxQueue = options.maxQueue ?? 1_000;
  const concurrency = options.concurrency ?? 4;
  const getUserTimeoutMs = options.getUserTimeoutMs ?? 5_000;
  const retryDelayMs = options.retryDelayMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 1_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const storeTimeoutMs = options.storeTimeoutMs ?? 2_000;
  const storeKey = (userId: string) => `profile:${userId}`;

  const pending = new Map<string, Job>();
  const queue: string[] = [];
  /** Changes waiting for a retry, oldest first. */
  const retries = new Map<string, Change & { dueAt: number }>();
  const counters = { synced: 0, unchanged: 0, coalesced: 0, failed: 0, dropped: 0 };
  let running = 0;
  /** getUser() calls not settled yet: their changes are not known yet, but flush() waits for them. */
  let lookups = 0;
  let idle: Array<() => void> = [];
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const abort = new AbortController();

  function report(error: unknown, userId: string): void {
    try {
      options.onError?.(error, { userId });
    } catch {
      // An error hook that throws must not break the queue or reach the app.
    }
  }

  function settle(): void {
    if (lookups === 0 && pending.size === 0) {
      const waiters = idle;
      idle = [];
      for (const resolve of waiters) {
        resolve();
      }
    }
  }

  /** One user's upstream calls, on the sync thread or here. */
  const sync = thread
    ? (user: SyncUser) => thread.sync(user)
    : (user: SyncUser) => syncUser(client as CourierClient, user, abort.signal);

  function armRetryTimer(): void {
    if (retryTimer || retries.size === 0 || closed) {
      return;
    }
    let first = Number.POSITIVE_INFINITY;
    for (const change of retries.values()) {
      first = Math.min(first, change.dueAt);
    }
    retryTimer = setTimeout(runDueRetries, Math.max(0, first - Date.now()));
    // A pending retry must not keep the process alive.
    retryTimer.unref();
  }

  function runDueRetries(): void {
    retryTimer = undefined;
    const now = Date.now();
    for (const [userId, change] of retries) {
      if (change.dueAt <= now && queue.length < maxQueue) {
        retries.delete(userId);
        consider(change.user, change.digest, change.attempts);
      }
    }
    armRetryTimer();
  }

  /** Keeps a change for a later retry (bounded: the oldest is given up when full). */
  function retryLater(change: Change): void {
    if (change.attempts >= maxAttempts) {
      counters.dropped++;
      return;
    }
    retries.delete(change.user.id);
    if (retries.size >= maxRetries) {
      const oldest = retries.keys().next();
      if (!oldest.done) {
        retries.delete(oldest.value);
        counters.dropped++;
      }
    }
    const backoff = retryDelayMs * 2 ** Math.min(5, Math.max(0, change.attempts - 1));
    retries.set(change.user.id, { ...change, dueAt: Date.now() + backoff });
    armRetryTimer();
  }

  /** The job is over: the newer state that arrived meanwhile, if any, is considered next. */
  function finish(job: Job): void {
    pending.delete(job.user.id);
    if (job.next) {
      consider(job.next.user, job.next.digest, job.next.attempts);
    }
  }

  let pumpScheduled = false;
  /**
   * Starts queued syncs after the event loop's pending I/O: an upstream call's synchronous part then
   * runs after the requests that have already arrived, not ahead of them.
   */
  function pump(): void {
    if (!pumpScheduled) {
      pumpScheduled = true;
      setImmediate(() => {
        pumpScheduled = false;
        startQueued();
      });
    }
  }

  function startQueued(): void {
    while (running < concurrency && queue.length > 0) {
      const job = pending.get(queue.shift() as string);
      if (job?.phase !== "queued") {
        continue;
      }
      job.phase = "running";
      running++;
      counters.synced++;
      const userId = job.user.id;
      sync(job.user)
        .then(
          () => {
            // With a store too: it decides while the store cannot be reached.
            synced.set(userId, job.digest);
          },
          async (error: unknown) => {
            counters.failed++;
            report(error, userId);
            // Any instance may retry this state: it is no longer "synced" in the shared store.
            if (store) {
              await withTimeout(store.forget(storeKey(userId), job.digest), storeTimeoutMs, "store.forget()").catch(
                (e: unknown) => report(e, userId),
              );
            }
            if (isPermanent(error)) {
              counters.dropped++;
            } else if (!job.next) {
              retryLater({ user: job.user, digest: job.digest, attempts: job.attempts + 1 });
            }
          },
        )
        .finally(() => {
          running--;
          finish(job);
          pump();
          settle();
        });
    }
  }

  function enqueue(job: Job): void {
    if (queue.length >= maxQueue) {
      // No slot: the newest state waits for a retry instead of being forgotten.
      pending.delete(job.user.id);
      const latest = job.next ?? job;
      if (store && !job.next) {
        withTimeout(store.forget(storeKey(job.user.id), job.digest), storeTimeoutMs, "store.forget()").catch(
          (e: unknown) => report(e, job.user.id),
        );
      }
      retryLater({ user: latest.user, digest: latest.digest, attempts: latest.attempts });
      return;
    }
    job.phase = "queued";
    queue.push(job.user.id);
    pump();
  }

  /** One user's wanted state: folded into the pending job, skipped if already synced, or queued. */
  function consider(user: SyncUser, digest: string, attempts: number): void {
    const userId = user.id;
    const job = pending.get(userId);
    if (job) {
      counters.coalesced++;
      if (job.phase === "queued" && !store) {
        // Not started yet: the newest state simply replaces it (last write wins).
        job.user = user;
        job.digest = digest;
        job.attempts = attempts;
      } else {
        // Started, or claimed in the shared store under its digest: the newest state runs after it,
        // unless it is the very state in progress.
        job.next = digest === job.digest ? undefined : { user, digest, attempts };
      }
      return;
    }
    retries.delete(userId);
    if (!store && synced.get(userId) === digest) {
      // The usual request: nothing is allocated for it.
      counters.unchanged++;
      return;
    }
    // Every job has the same fields in the same order, so code reading them sees one shape.
    const created: Job = { user, digest, attempts, phase: store ? "checking" : "queued", next: undefined };
    pending.set(userId, created);
    if (store) {
      checkLater(created);
    } else {
      enqueue(created);
    }
  }

  /** Store checks waiting for the next batch. */
  let checks: Job[] = [];
  /**
   * Checks `job` against the store with the others that arrive within {@link STORE_BATCH_MS}: issued in
   * one tick, a Redis client sends them in one write and reads their answers together (the Redis store
   * even makes them one script call), instead of a round trip (a write, a wake-up and a read) for every
   * request. One timer bounds the whole batch.
   */
  function checkLater(job: Job): void {
    checks.push(job);
    if (checks.length === 1) {
      setTimeout(checkBatch, STORE_BATCH_MS);
    }
  }

  function checkBatch(): void {
    const batch = checks;
    checks = [];
    const checkStore = store as ProfileSyncStore;
    const setMany = checkStore.setManyIfChanged?.bind(checkStore);
    const method = setMany ? "setManyIfChanged" : "setIfChanged";
    const timer = setTimeout(() => {
      const late = new Error(`store.${method}() did not answer within ${storeTimeoutMs} ms`);
      for (const job of batch) {
        decide(job, late);
      }
    }, storeTimeoutMs);
    timer.unref();
    if (setMany) {
      // The whole batch in one call: one promise, and the answers in order.
      const keys: string[] = [];
      const values: string[] = [];
      for (const job of batch) {
        keys.push(storeKey(job.user.id));
        values.push(job.digest);
      }
      const answered = (answers: boolean[] | Error) => {
        clearTimeout(timer);
        const fits = answers instanceof Error || (Array.isArray(answers) && answers.length === batch.length);
        const odd = fits
          ? undefined
          : new Error(`store.setManyIfChanged() answered ${batch.length} check(s) with ${describeAnswer(answers)}`);
        for (let i = 0; i < batch.length; i++) {
          decide(batch[i] as Job, odd ?? (answers instanceof Error ? answers : answers[i] === true));
        }
      };
      attempt(() => setMany(keys, values, ttlMs)).then(answered, (error) => answered(asError(error)));
      return;
    }
    let open = batch.length;
    const answered = (job: Job, answer: boolean | Error) => {
      decide(job, answer);
      if (--open === 0) {
        clearTimeout(timer);
      }
    };
    for (const job of batch) {
      attempt(() => checkStore.setIfChanged(storeKey(job.user.id), job.digest, ttlMs)).then(
        (changed) => answered(job, Boolean(changed)),
        (error: unknown) => answered(job, asError(error)),
      );
    }
  }

  /** The store's answer for a job being checked (the first one counts: a late answer is ignored). */
  function decide(job: Job, answer: boolean | Error): void {
    if (job.phase !== "checking" || pending.get(job.user.id) !== job) {
      return;
    }
    let changed = answer;
    if (answer instanceof Error) {
      // Store down: what this instance itself synced decides (a duplicate upsert beats a missed one,
      // but an outage must not turn every request into one).
      report(answer, job.user.id);
      changed = synced.get(job.user.id) !== job.digest;
    }
    if (changed) {
      enqueue(job);
    } else {
      counters.unchanged++;
      finish(job);
    }
    settle();
  }

  const middleware = ((req: Request, _res: Response, next: NextFunction) => {
    // The app's request goes on at once: by the time `next()` returns, a synchronous route has answered.
    // What is left here is `getUser` and a comparison (a string compare when nothing changed); the
    // upstream calls and store checks happen on the side.
    next();
    try {
      lookUp(req);
    } catch (error) {
      // Never the app's error: `next()` has been called already.
      report(error, "");
    }
  }) as ProfileSyncMiddleware;

  /** Asks `getUser` for the request's user (bounded by `getUserTimeoutMs`) and considers its state. */
  function lookUp(req: Request): void {
    if (closed) {
      return;
    }
    let user: ReturnType<ProfileSyncOptions["getUser"]>;
    try {
      user = options.getUser(req);
    } catch (error) {
      report(error, "");
      return;
    }
    if (typeof (user as PromiseLike<unknown> | null | undefined)?.then !== "function") {
      accept(user as SyncUser | null | undefined);
      return;
    }
    lookups++;
    let done = false;
    const end = () => {
      done = true;
      clearTimeout(timer);
      lookups--;
      settle();
    };
    const timer = setTimeout(() => {
      if (!done) {
        end();
        report(new Error(`courierProfileSync: getUser did not settle within ${getUserTimeoutMs} ms`), "");
      }
    }, getUserTimeoutMs);
    timer.unref();
    Promise.resolve(user).then(
      (found) => {
        if (!done) {
          end();
          accept(found);
        }
      },
      (error: unknown) => {
        if (!done) {
          end();
          report(error, "");
        }
      },
    );
  }

  function accept(user: SyncUser | null | undefined): void {
    if (!user || typeof user.id !== "string" || user.id === "" || typeof user.profile !== "object") {
      return;
    }
    let digest: string;
    try {
      digest = digestFor(user);
    } catch (error) {
      report(error, user.id);
      return;
    }
    consider(user, digest, 0);
  }

  /** The digest of `user`'s state; not hashed again when its text is the one last seen for this user. */
  function digestFor(user: SyncUser): string {
    const lists = listsText(user);
    const profile = stableStringify(user.profile);
    const memo = seen.get(user.id);
    if (memo && memo.profile === profile && memo.lists === lists) {
      return memo.digest;
    }
    const digest = digestOf(lists, profile);
    if (lists.length + profile.length <= MEMO_MAX_CHARS) {
      seen.set(user.id, { lists, profile, digest });
    }
    return digest;
  }

  const flush = (timeoutMs = 10_000) =>
    new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
      timer = setTimeout(() => {
        idle = idle.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      idle.push(waiter);
      settle();
    });

  middleware.flush = flush;
  middleware.close = async (timeoutMs = 10_000) => {
    closed = true;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    // One last try for what was waiting to be retried.
    for (const change of [...retries.values()]) {
      retries.delete(change.user.id);
      consider(change.user, change.digest, change.attempts);
    }
    const drained = await flush(timeoutMs);
    if (!drained) {
      abort.abort(new Error("courierProfileSync closed"));
    }
    // The thread ends either way; what it still had in hand fails like an aborted call.
    await thread?.stop();
    return drained;
  };
  middleware.stats = () => ({ ...counters, retrying: retries.size, queued: queue.length, running });
  middleware.syncNow = async (user: SyncUser) => {
    accept(user);
    await flush();
  };
  return middleware;
}
