/**
 * Fixtures: the initial state a suite starts from (`startEmulator({ seed })`, `courier-emulator --seed
 * file.json`), loaded at start and again by every `reset()`.
 *
 * Each resource module loads its own key through a `SeedModule` (`defineSeed("brands", load)`), and
 * `server.ts` lists the modules in one array. Items have the shape of the request body that creates the
 * resource, plus the ids that the create call takes from its path.
 */
import { readFile } from "node:fs/promises";
import type { paths } from "@courier-ts/core";
import type { Method, RequestBody } from "./router.js";
import type { Json, Store } from "./store.js";

/** The JSON body of the call that creates a resource. */
type Body<P extends keyof paths, M extends Method> = NonNullable<RequestBody<P, M>>;

/**
 * The shape of a fixture (`fixtures/example.seed.json` in the package is a complete example). Every key
 * is optional; ids are yours to choose, so a suite can rely on them.
 *
 * @example
 * ```ts
 * const seed: EmulatorSeed = {
 *   profiles: [{ user_id: "alice", profile: { email: "alice@example.com" } }],
 *   lists: [{ id: "newsletter", name: "Newsletter", subscribers: ["alice"] }],
 * };
 * const emulator = await startEmulator({ seed });
 * ```
 */
export interface EmulatorSeed {
  /** `POST /profiles/{user_id}` bodies with their `user_id`. */
  profiles?: Array<{ user_id: string; profile: Json; preferences?: Json }>;
  /** Lists and their subscribers (user ids, or `{ recipientId, preferences }`). */
  lists?: Array<{
    id: string;
    name?: string;
    preferences?: Json;
    subscribers?: Array<string | { recipientId: string; preferences?: Json }>;
  }>;
  /** `PUT /audiences/{audience_id}` bodies with their `id`. */
  audiences?: Array<Body<"/audiences/{audience_id}", "put"> & { id: string }>;
  /** Automation templates for `POST /automations/{templateId}/invoke`: `{ id, name?, steps }`. */
  automations?: Array<{ id: string; name?: string; steps: Json[] }>;
  /** `POST /brands` bodies with their `id`. */
  brands?: Array<Body<"/brands", "post"> & { id: string }>;
  /** `PUT /tenants/{tenant_id}` bodies with their `id`, and members (user ids or `{ user_id, profile }`). */
  tenants?: Array<
    Body<"/tenants/{tenant_id}", "put"> & { id: string; users?: Array<string | { user_id: string; profile?: Json }> }
  >;
  /** `POST /notifications` bodies with their `id`; published unless `state` is `"DRAFT"`. */
  notifications?: Array<Body<"/notifications", "post"> & { id: string }>;
  /**
   * Workspace preference sections with their topics (a topic may list the template ids it covers in
   * `notifications`), and users' choices for topics.
   */
  preferences?: {
    sections?: Array<
      Body<"/preferences/sections/{section_id}", "put"> & {
        id: string;
        topics?: Array<
          Body<"/preferences/sections/{section_id}/topics/{topic_id}", "put"> & { id: string; notifications?: string[] }
        >;
      }
    >;
    users?: Array<{
      user_id: string;
      tenant_id?: string;
      topics: Array<Body<"/users/{user_id}/preferences/{topic_id}", "put"> & { topic_id: string }>;
    }>;
  };
  /** `PUT /users/{user_id}/tokens/{token}` bodies with their `user_id` and `token`. */
  tokens?: Array<Body<"/users/{user_id}/tokens/{token}", "put"> & { user_id: string; token: string }>;
}

/** The keys of a fixture. */
export type SeedKey = keyof EmulatorSeed;

/** How one resource module loads its part of a fixture. */
export interface SeedModule {
  key: SeedKey;
  /** Loads `items` (the fixture's value under `key`, not yet checked) into the store; throws `SeedError`. */
  load(store: Store, items: unknown, now: number): void;
}

/**
 * A fixture that cannot be loaded; the message names the bad field, e.g. `seed.profiles[2].user_id`.
 *
 * @example
 * ```ts
 * await startEmulator({ seed }).catch((error) => {
 *   if (error instanceof SeedError) console.error(error.message);
 *   throw error;
 * });
 * ```
 */
export class SeedError extends Error {
  override name = "SeedError";
}

export const seedError = (message: string) => new SeedError(`seed.${message}`);

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Declares how a module loads `seed[key]`, an array of items (a module whose key holds an object, such as
 * `preferences`, writes its `SeedModule` by hand).
 *
 * @example
 * ```ts
 * export const brandSeed = defineSeed("brands", (store, items, now) => {
 *   for (const item of items) brandsOf(store).set(String(item.id), toRecord(item, now));
 * });
 * ```
 */
export function defineSeed(key: SeedKey, load: (store: Store, items: unknown[], now: number) => void): SeedModule {
  return {
    key,
    load(store, items, now) {
      if (!Array.isArray(items)) {
        throw seedError(`${key} must be an array`);
      }
      try {
        load(store, items, now);
      } catch (error) {
        throw asSeedError(key, error);
      }
    },
  };
}

/**
 * A loader may reuse its handlers' checks, which throw HTTP errors or plain errors naming the item
 * (`brands[2]: ...`, `tokens fixture [2]: ...`); the caller gets one `SeedError` naming the key.
 */
function asSeedError(key: SeedKey, error: unknown): SeedError {
  if (error instanceof SeedError) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  const rest = message.startsWith(key)
    ? message
        .slice(key.length)
        .replace(/^ fixture/, "")
        .trimStart()
    : message;
  return seedError(rest.startsWith("[") || rest.startsWith(":") ? `${key}${rest}` : `${key}: ${rest}`);
}

const KNOWN: Record<SeedKey, true> = {
  profiles: true,
  lists: true,
  audiences: true,
  automations: true,
  brands: true,
  tenants: true,
  notifications: true,
  preferences: true,
  tokens: true,
};

/** Checks that every key of `seed` has a module that loads it, before anything is loaded. */
export function checkSeed(seed: unknown, modules: readonly SeedModule[]): asserts seed is EmulatorSeed {
  if (!isObject(seed)) {
    throw new SeedError("seed must be a JSON object");
  }
  for (const key of Object.keys(seed)) {
    if (!Object.hasOwn(KNOWN, key)) {
      throw new SeedError(`seed.${key} is not a fixture key (known: ${Object.keys(KNOWN).join(", ")})`);
    }
    if (seed[key] !== undefined && !modules.some((m) => m.key === key)) {
      throw new SeedError(`seed.${key} is not supported by this emulator build`);
    }
  }
}

/** Loads a fixture, module by module in the order given (profiles before the lists that name them). */
export function loadSeed(store: Store, seed: EmulatorSeed, modules: readonly SeedModule[], now: number): void {
  checkSeed(seed, modules);
  for (const module of modules) {
    const items = (seed as Record<string, unknown>)[module.key];
    if (items !== undefined) {
      module.load(store, items, now);
    }
  }
}

/**
 * Reads a fixture file (JSON).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ seed: await readSeedFile("test/fixtures/state.json") });
 * ```
 */
export async function readSeedFile(path: string): Promise<EmulatorSeed> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SeedError(`cannot read seed file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  let seed: unknown;
  try {
    seed = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`seed file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(seed)) {
    throw new SeedError(`seed file ${path} must hold a JSON object`);
  }
  return seed as EmulatorSeed;
}
