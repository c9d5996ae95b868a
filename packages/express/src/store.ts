import { LruCache } from "./lru.js";

/**
 * Where `courierWebhook` remembers deliveries it has accepted, so that a replay is refused. Share one
 * store between all instances of the app (e.g. `createRedisStore` from `@courier-ts/express/redis`).
 *
 * @example
 * ```ts
 * import type { ReplayStore } from "@courier-ts/express";
 *
 * declare const db: { insertIfAbsent(key: string, expiresAt: Date): Promise<boolean>; remove(key: string): Promise<void> };
 * const store: ReplayStore = {
 *   claim: (key, ttlMs) => db.insertIfAbsent(key, new Date(Date.now() + ttlMs)),
 *   release: (key) => db.remove(key),
 * };
 * ```
 */
export interface ReplayStore {
  /** Atomically claims `key` for `ttlMs`: true for the first claim, false while it is held (a replay). */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Drops a claim, so that a delivery whose handler failed can be retried. */
  release?(key: string): Promise<void>;
}

/**
 * Where `courierProfileSync` records the digest of each user's last synced profile, so that N instances
 * of the app do not each upsert the same unchanged profile.
 *
 * @example
 * ```ts
 * import type { ProfileSyncStore } from "@courier-ts/express";
 *
 * declare const kv: { swapIfDifferent(key: string, value: string, ttlMs: number): Promise<boolean>; deleteIfEquals(key: string, value: string): Promise<void> };
 * const store: ProfileSyncStore = {
 *   setIfChanged: (key, value, ttlMs) => kv.swapIfDifferent(key, value, ttlMs),
 *   forget: (key, value) => kv.deleteIfEquals(key, value),
 * };
 * ```
 */
export interface ProfileSyncStore {
  /**
   * Atomically stores `value` under `key` for `ttlMs` unless `key` already holds `value`. True when it
   * changed: the caller then syncs; false means this state is synced (or being synced) already.
   */
  setIfChanged(key: string, value: string, ttlMs: number): Promise<boolean>;
  /**
   * Optional: `setIfChanged` for each `keys[i]` and `values[i]` in turn (a key given twice sees the value
   * set before it), answered in one call with a flag per key, in order. `courierProfileSync` checks the
   * requests of each short window with it when present: one round trip and one promise for the batch
   * instead of one per request.
   */
  setManyIfChanged?(keys: string[], values: string[], ttlMs: number): Promise<boolean[]>;
  /** Deletes `key` if it still holds `value` (a sync that failed), so that any instance retries it. */
  forget(key: string, value: string): Promise<void>;
}

/** A store for both webhook replays and profile sync. */
export type CourierStore = ReplayStore & ProfileSyncStore;

/**
 * The in-memory store, the default of `courierWebhook` and `courierProfileSync`. It is for a single
 * instance only: with several instances behind a load balancer, use a shared store such as Redis.
 * Bounded: when `maxEntries` keys are held, the oldest key not read since it was last passed over goes
 * first (about the least recently used).
 *
 * @example
 * ```ts
 * import { createMemoryStore } from "@courier-ts/express";
 *
 * const store = createMemoryStore({ maxEntries: 50_000 });
 * const first = await store.claim("delivery-1", 60_000); // true; a second claim is false
 * ```
 */
export function createMemoryStore(options: { maxEntries?: number; now?: () => number } = {}): CourierStore {
  const entries = new LruCache<string, { value: string; expiresAt: number }>(
    options.maxEntries ?? 10_000,
    Number.POSITIVE_INFINITY,
    options.now,
  );
  const now = options.now ?? Date.now;
  const live = (key: string) => {
    const entry = entries.get(key);
    return entry && entry.expiresAt > now() ? entry : undefined;
  };
  return {
    async claim(key, ttlMs) {
      if (live(key)) {
        return false;
      }
      entries.set(key, { value: "1", expiresAt: now() + ttlMs });
      return true;
    },
    async release(key) {
      entries.delete(key);
    },
    async setIfChanged(key, value, ttlMs) {
      if (live(key)?.value === value) {
        return false;
      }
      entries.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async forget(key, value) {
      if (live(key)?.value === value) {
        entries.delete(key);
      }
    },
  };
}

/**
 * `promise`, or a rejection after `ms`: a shared store that hangs (e.g. a Redis client queueing commands
 * while disconnected) must not hang a request or grow memory without bound.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
