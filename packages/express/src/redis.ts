/**
 * `@courier-ts/express/redis`: the shared store for apps that run on several instances. It takes the
 * app's own Redis client and imports no Redis library itself, so `redis`/`ioredis` stay optional peers.
 *
 * @module redis
 */
import { createHash } from "node:crypto";
import type { CourierStore } from "./store.js";

/** Sends one Redis command given as its arguments, e.g. `["SET", "k", "1", "NX", "PX", "1000"]`. */
export type RedisSendCommand = (args: string[]) => Promise<unknown>;

/** A node-redis (v4 and later) client, connected: it has `sendCommand(args)`. */
export interface NodeRedisClientLike {
  /** Sends one command, e.g. `client.sendCommand(["GET", "k"])`. */
  sendCommand(args: string[]): Promise<unknown>;
}

/** An ioredis client (or cluster): it has `call(command, ...args)`. */
export interface IORedisClientLike {
  /** Sends one command, e.g. `redis.call("GET", "k")`. */
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** Options of {@link createRedisStore}: the app's `client`, or a `sendCommand` for any other client. */
export interface RedisStoreOptions {
  /** A connected `redis` (node-redis ≥ 4) or `ioredis` client. */
  client?: NodeRedisClientLike | IORedisClientLike;
  /** Instead of `client`: how to send a command, e.g. for a node-redis cluster. */
  sendCommand?: RedisSendCommand;
  /** Prefix of every key the store writes. Default `"courier:"`. */
  prefix?: string;
}

// Both scripts compare and write in one step, which plain commands cannot do atomically. The first
// takes any number of keys, their TTL as ARGV[1] and their values after it, and answers a 1 or 0 for each.
const SET_IF_CHANGED = `local changed = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[i + 1] then changed[i] = 0
  else redis.call('SET', key, ARGV[i + 1], 'PX', ARGV[1]) changed[i] = 1 end
end
return changed`;
const DELETE_IF_EQUAL = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/** The most keys one script call checks, so that a long queue never blocks Redis for long. */
const MAX_BATCH = 256;

function toSendCommand(options: RedisStoreOptions): RedisSendCommand {
  if (options.sendCommand) {
    return options.sendCommand;
  }
  const client = options.client as Partial<NodeRedisClientLike & IORedisClientLike> | undefined;
  // ioredis also has a `sendCommand`, taking a Command object: check for its `call` first.
  if (typeof client?.call === "function") {
    const call = client.call.bind(client);
    return ([command, ...args]) => call(command as string, ...args);
  }
  if (typeof client?.sendCommand === "function") {
    return client.sendCommand.bind(client);
  }
  throw new TypeError("createRedisStore() needs a `redis` or `ioredis` client, or a `sendCommand` function");
}

const ttl = (ms: number) => String(Math.max(1, Math.ceil(ms)));

/** Whether Redis refused a command with this error reply (`NOSCRIPT`, `CROSSSLOT`...), whatever the client. */
const refusedWith = (error: unknown, reply: string) => String((error as Error)?.message ?? error).includes(reply);

/**
 * A store backed by Redis for `courierWebhook({ replayStore })` and `courierProfileSync({ store })`,
 * shared by every instance of the app. Claims are `SET key 1 NX PX ttl`; profile digests are compared
 * and set in one Lua script, so two instances never both sync the same unchanged profile. A batch of
 * checks (`setManyIfChanged`, which courierProfileSync uses, or `setIfChanged` calls made in the same
 * tick) goes in one script call of up to 256 keys; on a Redis Cluster, which refuses keys of different
 * slots in one call, each key goes on its own.
 *
 * @example
 * ```ts
 * import { createCourierClient } from "@courier-ts/client";
 * import { courierProfileSync, courierWebhook } from "@courier-ts/express";
 * import { createRedisStore } from "@courier-ts/express/redis";
 * import { createClient } from "redis"; // or: new Redis(url) from "ioredis"
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = createRedisStore({ client: redis });
 * const webhook = courierWebhook({
 *   secret: process.env.COURIER_WEBHOOK_SECRET ?? "",
 *   replayStore: store,
 *   onEvent: () => undefined,
 * });
 * const sync = courierProfileSync({ client: createCourierClient(), store, getUser: () => undefined });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): CourierStore {
  const send = toSendCommand(options);
  const prefix = options.prefix ?? "courier:";
  const shas = new Map<string, string>();

  /** EVALSHA, loading the script with EVAL the first time Redis has not seen it. */
  async function script(source: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = shas.get(source);
    if (!sha) {
      sha = createHash("sha1").update(source).digest("hex");
      shas.set(source, sha);
    }
    try {
      return await send(["EVALSHA", sha, String(keys.length), ...keys, ...args]);
    } catch (error) {
      if (!refusedWith(error, "NOSCRIPT")) {
        throw error;
      }
      return send(["EVAL", source, String(keys.length), ...keys, ...args]);
    }
  }

  /** False once Redis refused keys of several slots in one call (a cluster): each key on its own then. */
  let together = true;

  /** One script call over `keys` (prefixed already), or one per key where keys cannot go together. */
  async function check(keys: string[], values: string[], ttlArg: string): Promise<boolean[]> {
    if (keys.length > 1 && !together) {
      // Sent in order on one connection (and a key always to the same node), so a repeated key still
      // sees the value set before it.
      const each = await Promise.all(keys.map((key, i) => check([key], [values[i] as string], ttlArg)));
      return each.map(([changed]) => changed === true);
    }
    let changed: unknown;
    try {
      changed = await script(SET_IF_CHANGED, keys, [ttlArg, ...values]);
    } catch (error) {
      if (keys.length > 1 && refusedWith(error, "CROSSSLOT")) {
        together = false;
        return check(keys, values, ttlArg);
      }
      throw error;
    }
    if (!Array.isArray(changed) || changed.length !== keys.length) {
      const got = Array.isArray(changed) ? `${changed.length} flags` : typeof changed;
      throw new Error(`Redis answered a profile check of ${keys.length} key(s) with ${got}`);
    }
    return changed.map((flag) => Number(flag) === 1);
  }

  /** `check` in calls of at most {@link MAX_BATCH} keys, sent in order; `keys` are not prefixed yet. */
  async function checkMany(keys: string[], values: string[], ttlMs: number): Promise<boolean[]> {
    const prefixed = keys.map((key) => prefix + key);
    const ttlArg = ttl(ttlMs);
    if (prefixed.length <= MAX_BATCH) {
      return check(prefixed, values, ttlArg);
    }
    const calls: Array<Promise<boolean[]>> = [];
    for (let i = 0; i < prefixed.length; i += MAX_BATCH) {
      calls.push(check(prefixed.slice(i, i + MAX_BATCH), values.slice(i, i + MAX_BATCH), ttlArg));
    }
    return (await Promise.all(calls)).flat();
  }

  type Pending = {
    key: string;
    value: string;
    ttlMs: number;
    resolve: (changed: boolean) => void;
    reject: (error: unknown) => void;
  };
  let pending: Pending[] = [];

  /** Sends the single checks of this tick, as one `checkMany` per run of equal TTLs. */
  function sendPending(): void {
    const all = pending;
    pending = [];
    let start = 0;
    while (start < all.length) {
      const ttlMs = (all[start] as Pending).ttlMs;
      let end = start + 1;
      while (end < all.length && (all[end] as Pending).ttlMs === ttlMs) {
        end++;
      }
      const run = all.slice(start, end);
      checkMany(
        run.map((c) => c.key),
        run.map((c) => c.value),
        ttlMs,
      ).then(
        (flags) => {
          for (let i = 0; i < run.length; i++) {
            run[i]?.resolve(flags[i] === true);
          }
        },
        (error: unknown) => {
          for (const c of run) {
            c.reject(error);
          }
        },
      );
      start = end;
    }
  }

  return {
    async claim(key, ttlMs) {
      return (await send(["SET", prefix + key, "1", "NX", "PX", ttl(ttlMs)])) !== null;
    },
    async release(key) {
      await send(["DEL", prefix + key]);
    },
    setIfChanged(key, value, ttlMs) {
      // Checks asked for in the same tick go to Redis as one script call over all their keys: one command
      // for the client to encode, send and parse, not one each.
      return new Promise((resolve, reject) => {
        pending.push({ key, value, ttlMs, resolve, reject });
        if (pending.length === 1) {
          queueMicrotask(sendPending);
        }
      });
    },
    setManyIfChanged(keys, values, ttlMs) {
      return keys.length === values.length
        ? checkMany(keys, values, ttlMs)
        : Promise.reject(new TypeError("setManyIfChanged() needs as many values as keys"));
    },
    async forget(key, value) {
      await script(DELETE_IF_EQUAL, [prefix + key], [value]);
    },
  };
}
