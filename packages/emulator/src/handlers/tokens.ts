/**
 * Users' device (push) tokens. A PUT overwrites the token; tokens expire two months after they are stored
 * unless `expiry_date` says otherwise (`false`: never).
 */
import type { components } from "@courier-ts/core";
import { badRequest, HttpError, notFound } from "../errors.js";
import { applyPatch } from "../patch.js";
import { type RequestBody, route } from "../router.js";
import { type Json, type Store, slot } from "../store.js";
import { validateBody } from "../validate.js";

type Schemas = components["schemas"];
type TokenInput = Schemas["UsersUserTokenPut"];
type PatchOperation = Schemas["UsersPatchOperation"];

interface TokenRecord {
  token: string;
  provider_key: Schemas["UsersProviderKey"];
  expiry_date: string | boolean;
  properties?: unknown;
  device?: Schemas["UsersDevice"];
  tracking?: Schemas["UsersTracking"];
  status: Schemas["UsersTokenStatus"];
  status_reason: string | null;
}

/** user id → token → record (nested maps: any id, `__proto__` included, is an ordinary key). */
const tokens = slot("tokens", () => new Map<string, Map<string, TokenRecord>>());

/** Fields a JSON Patch may change; `token` is the record's identity and stays. */
const PATCHABLE = new Set([
  "provider_key",
  "expiry_date",
  "properties",
  "device",
  "tracking",
  "status",
  "status_reason",
]);
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);
const STATUSES = new Set<string>(["active", "unknown", "failed", "revoked"]);
const TOKEN_PUT = ["put", "/users/{user_id}/tokens/{token}"] as const;

function tokensOf(store: Store, userId: string): Map<string, TokenRecord> {
  let mine = tokens(store).get(userId);
  if (!mine) {
    mine = new Map();
    tokens(store).set(userId, mine);
  }
  return mine;
}

function find(store: Store, userId: string, token: string): TokenRecord {
  const found = tokens(store).get(userId)?.get(token);
  if (!found) {
    throw notFound(`Token not found for user "${userId}"`);
  }
  return found;
}

/** Courier's default expiry: two months from now. */
function defaultExpiry(now: number): string {
  const at = new Date(now);
  at.setUTCMonth(at.getUTCMonth() + 2);
  return at.toISOString();
}

function checkExpiry(value: string | boolean | null | undefined): void {
  if (typeof value === "string" && Number.isNaN(Date.parse(value))) {
    throw badRequest(`expiry_date "${value}" is not an ISO 8601 date (or false for no expiry)`);
  }
}

function record(token: string, input: TokenInput, now: number): TokenRecord {
  if (input.token !== undefined && input.token !== token) {
    throw badRequest("token in the body must match the token in the path");
  }
  checkExpiry(input.expiry_date);
  return {
    token,
    provider_key: input.provider_key,
    // null, like false, is "never expires"; absent or true takes Courier's default.
    expiry_date:
      input.expiry_date === undefined || input.expiry_date === true ? defaultExpiry(now) : (input.expiry_date ?? false),
    ...(input.properties !== undefined ? { properties: input.properties } : {}),
    ...(input.device ? { device: input.device } : {}),
    ...(input.tracking ? { tracking: input.tracking } : {}),
    status: "active",
    status_reason: null,
  };
}

function view(t: TokenRecord) {
  return {
    token: t.token,
    provider_key: t.provider_key,
    expiry_date: t.expiry_date,
    ...(t.properties !== undefined ? { properties: t.properties } : {}),
    ...(t.device ? { device: t.device } : {}),
    ...(t.tracking ? { tracking: t.tracking } : {}),
  };
}

/**
 * The tokens of a bulk PUT (already checked against the spec): `{ tokens: [...] }`, a bare array, or no
 * body at all (nothing to add).
 */
function bulkItems(body: RequestBody<"/users/{user_id}/tokens", "put">): Schemas["UsersUserToken"][] {
  const items = body === undefined ? [] : Array.isArray(body) ? body : body.tokens;
  const empty = items.findIndex((item) => item.token === "");
  if (empty >= 0) {
    throw badRequest(`Invalid request body: tokens[${empty}].token must not be empty`);
  }
  return items;
}

/** Applies a JSON Patch to a token, refusing paths outside its fields and any prototype segment. */
function patched(current: TokenRecord, operations: Array<PatchOperation & { from?: string }>) {
  const paths = operations.flatMap((o) => (typeof o.from === "string" ? [o.path, o.from] : [o.path]));
  for (const path of paths) {
    const segments = path.split("/");
    if (segments[0] !== "" || !PATCHABLE.has(segments[1] ?? "")) {
      throw badRequest(`Path "${path}" cannot be patched; patchable: /${[...PATCHABLE].join(", /")}`);
    }
    if (segments.some((s) => FORBIDDEN_SEGMENTS.has(s))) {
      throw badRequest(`Path "${path}" is not allowed`);
    }
  }
  const { token, ...fields } = current;
  const next = applyPatch(fields as unknown as Json, operations) as unknown as Omit<TokenRecord, "token">;
  if (!STATUSES.has(String(next.status))) {
    throw badRequest(`status must be one of ${[...STATUSES].join(", ")}`);
  }
  if (next.status_reason !== null && next.status_reason !== undefined && typeof next.status_reason !== "string") {
    throw badRequest("status_reason must be a string");
  }
  const { status, status_reason, ...rest } = next;
  const problem = validateBody(...TOKEN_PUT, rest);
  if (problem) {
    throw badRequest(problem.replace("Invalid request body", "Invalid patch result"));
  }
  checkExpiry(rest.expiry_date);
  return { ...rest, token, status, status_reason: status_reason ?? null } as TokenRecord;
}

export const tokenRoutes = [
  route("get", "/users/{user_id}/tokens", ({ params, store }) => ({
    status: 200,
    body: {
      tokens: [
        ...(tokens(store)
          .get(params.user_id ?? "")
          ?.values() ?? []),
      ].map(view),
    },
  })),

  // Adds or overwrites each token; all or nothing.
  route("put", "/users/{user_id}/tokens", ({ params, body, store, now }) => {
    const items = bulkItems(body);
    const records = items.map((item) => record(item.token, item, now));
    const mine = tokensOf(store, params.user_id ?? "");
    for (const r of records) {
      mine.set(r.token, r);
    }
    return { status: 204, body: undefined };
  }),

  route("get", "/users/{user_id}/tokens/{token}", ({ params, store }) => {
    const t = find(store, params.user_id ?? "", params.token ?? "");
    return { status: 200, body: { ...view(t), status: t.status, status_reason: t.status_reason } };
  }),

  route("put", "/users/{user_id}/tokens/{token}", ({ params, body, store, now }) => {
    const token = params.token ?? "";
    tokensOf(store, params.user_id ?? "").set(token, record(token, body, now));
    return { status: 204, body: undefined };
  }),

  // RFC 6902 on the token's fields, e.g. `{ op: "replace", path: "/status", value: "revoked" }`; all or nothing.
  route("patch", "/users/{user_id}/tokens/{token}", ({ params, body, store }) => {
    const userId = params.user_id ?? "";
    const current = find(store, userId, params.token ?? "");
    tokensOf(store, userId).set(current.token, patched(current, body.patch));
    return { status: 204, body: undefined };
  }),

  // Idempotent: deleting a token that is not there is not an error.
  route("delete", "/users/{user_id}/tokens/{token}", ({ params, store }) => {
    const userId = params.user_id ?? "";
    const mine = tokens(store).get(userId);
    mine?.delete(params.token ?? "");
    if (mine?.size === 0) {
      tokens(store).delete(userId);
    }
    return { status: 204, body: undefined };
  }),
];

/**
 * Fixture hook for the `tokens` key: each item is a token as `PUT /users/{user_id}/tokens/{token}` takes it, plus
 * `user_id` and `token`, e.g. `{ "user_id": "u1", "token": "fcm-1", "provider_key": "firebase-fcm" }`.
 */
export const tokensSeed = {
  key: "tokens" as const,
  load(store: Store, items: unknown[], now: number): void {
    if (!Array.isArray(items)) {
      throw new Error("tokens fixture: must be an array of tokens");
    }
    items.forEach((item, i) => {
      const { user_id: userId, ...input } = (typeof item === "object" && item !== null ? item : {}) as Record<
        string,
        unknown
      >;
      if (typeof userId !== "string" || userId === "" || typeof input.token !== "string" || input.token === "") {
        throw new Error(`tokens fixture [${i}]: user_id and token must be non-empty strings`);
      }
      const problem = validateBody(...TOKEN_PUT, input);
      if (problem) {
        throw new Error(`tokens fixture [${i}]: ${problem}`);
      }
      try {
        tokensOf(store, userId).set(input.token, record(input.token, input as TokenInput, now));
      } catch (error) {
        throw error instanceof HttpError ? new Error(`tokens fixture [${i}]: ${error.message}`) : error;
      }
    });
  },
};
