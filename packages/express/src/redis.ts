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
// takes any number of keys (values and TTLs in ARGV, two per key) and answers a 1 or 0 for each.
const SET_IF_CHANGED = `local changed = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[2 * i - 1] then changed[i] = 0
  else redis.call('SET', key, ARGV[2 * i - 1], 'PX', ARGV[2 * i]) changed[i] = 1 end
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
 * and set in one Lua script, so two instances never both sync the same unchanged profile, and the
 * checks asked for in the same tick go in one script call (each key on its own on a Redis Cluster,
 * which refuses keys of different slots in one call).
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

  type Check = { key: string; value: string; ttl: string; settle: (changed: boolean | Error) => void };
  let checks: Check[] = [];
  /** False once Redis refused keys of several slots in one call (a cluster): each key on its own then. */
  let together = true;

  /** Runs one script call for `batch`, or one per key where keys cannot go together. */
  async function check(batch: Check[]): Promise<void> {
    if (batch.length > 1 && !together) {
      await Promise.all(batch.map((one) => check([one])));
      return;
    }
    const keys: string[] = [];
    const args: string[] = [];
    for (const c of batch) {
      keys.push(c.key);
      args.push(c.value, c.ttl);
    }
    try {
      const changed = (await script(SET_IF_CHANGED, keys, args)) as unknown;
      if (!Array.isArray(changed) || changed.length !== batch.length) {
        const got = Array.isArray(changed) ? `${changed.length} flags` : typeof changed;
        throw new Error(`Redis answered a profile check of ${batch.length} key(s) with ${got}`);
      }
      for (let i = 0; i < batch.length; i++) {
        batch[i]?.settle(Number(changed[i]) === 1);
      }
    } catch (error) {
      if (batch.length > 1 && refusedWith(error, "CROSSSLOT")) {
        together = false;
        return check(batch);
      }
      for (const c of batch) {
        c.settle(error instanceof Error ? error : new Error(String(error)));
      }
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
      // Checks asked for in the same tick (courierProfileSync asks in batches) go to Redis as one script
      // call over all their keys: one command for the client to encode, send and parse, not one each.
      return new Promise((resolve, reject) => {
        const settle = (changed: boolean | Error) => (changed instanceof Error ? reject(changed) : resolve(changed));
        checks.push({ key: prefix + key, value, ttl: ttl(ttlMs), settle });
        if (checks.length === 1) {
          queueMicrotask(() => {
            const all = checks;
            checks = [];
            for (let i = 0; i < all.length; i += MAX_BATCH) {
              void check(all.slice(i, i + MAX_BATCH));
            }
          });
        }
      });
    },
    async forget(key, value) {
      await script(DELETE_IF_EQUAL, [prefix + key], [value]);
    },
  };
}
