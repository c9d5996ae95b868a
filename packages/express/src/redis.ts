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

// Both scripts compare and write in one step, which plain commands cannot do atomically.
const SET_IF_CHANGED =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1";
const DELETE_IF_EQUAL = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

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

/**
 * A store backed by Redis for `courierWebhook({ replayStore })` and `courierProfileSync({ store })`,
 * shared by every instance of the app. Claims are `SET key 1 NX PX ttl`; profile digests are compared
 * and set in one Lua script, so two instances never both sync the same unchanged profile.
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
  async function script(source: string, key: string, ...args: string[]): Promise<unknown> {
    let sha = shas.get(source);
    if (!sha) {
      sha = createHash("sha1").update(source).digest("hex");
      shas.set(source, sha);
    }
    try {
      return await send(["EVALSHA", sha, "1", key, ...args]);
    } catch (error) {
      if (!String((error as Error)?.message ?? error).includes("NOSCRIPT")) {
        throw error;
      }
      return send(["EVAL", source, "1", key, ...args]);
    }
  }

  return {
    async claim(key, ttlMs) {
      return (await send(["SET", prefix + key, "1", "NX", "PX", ttl(ttlMs)])) !== null;
    },
    async release(key) {
      await send(["DEL", prefix + key]);
    },
    async setIfChanged(key, value, ttlMs) {
      return Number(await script(SET_IF_CHANGED, prefix + key, value, ttl(ttlMs))) === 1;
    },
    async forget(key, value) {
      await script(DELETE_IF_EQUAL, prefix + key, value);
    },
  };
}
