import type { components } from "@courier-ts/core";
import { badRequest, notFound } from "../errors.js";
import { pageOf } from "../paging.js";
import { applyPatch } from "../patch.js";
import { assertListId } from "../patterns.js";
import { route } from "../router.js";
import { defineSeed, isObject, seedError } from "../seed.js";
import { type Json, type Store, slot } from "../store.js";
import { listsOf } from "./lists.js";

/**
 * A stored profile, as `profilesOf(state)` holds it.
 *
 * @example
 * ```ts
 * expect(profilesOf(emulator.state).get("alice")?.profile).toMatchObject({ email: "alice@example.com" });
 * ```
 */
export interface ProfileRecord {
  profile: Json;
  preferences?: components["schemas"]["RecipientPreferences"];
  created: number;
  updated: number;
}

/**
 * The stored profiles, user id → record.
 *
 * @example
 * ```ts
 * expect(profilesOf(emulator.state).get("alice")?.profile).toMatchObject({ email: "alice@example.com" });
 * ```
 */
export const profilesOf = slot("profiles", () => new Map<string, ProfileRecord>());

/** Merges `profile` into the stored one at the top level (automations, bulk and send do this too). */
export function mergeProfile(store: Store, userId: string, profile: Json, now: number): void {
  const profiles = profilesOf(store);
  const existing = profiles.get(userId);
  if (existing) {
    existing.profile = { ...existing.profile, ...profile };
    existing.updated = now;
  } else {
    profiles.set(userId, { profile: { ...profile }, created: now, updated: now });
  }
}

const SUCCESS = { status: "SUCCESS" as const };

export const profileRoutes = [
  route("get", "/profiles/{user_id}", ({ params, store }) => {
    const record = profilesOf(store).get(params.user_id ?? "");
    if (!record) {
      throw notFound();
    }
    return {
      status: 200,
      body: { profile: record.profile, ...(record.preferences ? { preferences: record.preferences } : {}) },
    };
  }),

  // Merge at the top level; an empty profile changes nothing.
  route("post", "/profiles/{user_id}", ({ params, body, store, now }) => {
    if (Object.keys(body.profile).length > 0 || !profilesOf(store).has(params.user_id ?? "")) {
      mergeProfile(store, params.user_id ?? "", body.profile, now);
    }
    store.recordEffect("POST /profiles/{user_id}");
    return { status: 200, body: SUCCESS };
  }),

  // Full replacement: `{ profile: {} }` clears it.
  route("put", "/profiles/{user_id}", ({ params, body, store, now }) => {
    const id = params.user_id ?? "";
    const profiles = profilesOf(store);
    const existing = profiles.get(id);
    profiles.set(id, { ...existing, profile: { ...body.profile }, created: existing?.created ?? now, updated: now });
    return { status: 200, body: SUCCESS };
  }),

  // RFC 6902 JSON Patch; creates the profile when absent; `{ patch: [] }` is a no-op.
  route("patch", "/profiles/{user_id}", ({ params, body, store, now }) => {
    const id = params.user_id ?? "";
    const profiles = profilesOf(store);
    const existing = profiles.get(id);
    const next = applyPatch(existing?.profile ?? {}, body.patch);
    profiles.set(id, { ...existing, profile: next, created: existing?.created ?? now, updated: now });
    return { status: 204, body: undefined };
  }),

  // List subscriptions and preferences are separate resources and survive the profile.
  route("delete", "/profiles/{user_id}", ({ params, store }) => {
    profilesOf(store).delete(params.user_id ?? "");
    return { status: 204, body: undefined };
  }),

  route("get", "/profiles/{user_id}/lists", ({ params, query, store }) => {
    const lists = listsOf(store);
    const rows = (function* () {
      for (const sub of lists.subscriptionsOf(params.user_id ?? "")) {
        const list = lists.lists.get(sub.listId);
        if (list && !list.deleted) {
          yield {
            id: list.id,
            name: list.name,
            created: list.created,
            updated: list.updated,
            ...(sub.preferences ? { preferences: sub.preferences } : {}),
          };
        }
      }
    })();
    const { items, paging } = pageOf(rows, query.get("cursor"));
    return { status: 200, body: { results: items, paging } };
  }),

  // Lists that do not exist are created.
  route("post", "/profiles/{user_id}/lists", ({ params, body, store, now }) => {
    if (body.lists.length === 0) {
      throw badRequest("lists must not be empty");
    }
    for (const { listId } of body.lists) {
      assertListId(listId);
    }
    const lists = listsOf(store);
    for (const { listId, preferences } of body.lists) {
      lists.subscribe(listId, [{ recipientId: params.user_id ?? "", preferences: preferences ?? undefined }], now);
    }
    return { status: 200, body: SUCCESS };
  }),

  // Removes all of the user's subscriptions.
  route("delete", "/profiles/{user_id}/lists", ({ params, store }) => {
    listsOf(store).unsubscribeAll(params.user_id ?? "");
    return { status: 200, body: SUCCESS };
  }),
];

/** `seed.profiles`: `[{ user_id, profile, preferences? }]`. */
export const profileSeed = defineSeed("profiles", (store, items, now) => {
  const profiles = profilesOf(store);
  items.forEach((item, i) => {
    const at = `profiles[${i}]`;
    if (!isObject(item) || typeof item.user_id !== "string" || item.user_id === "") {
      throw seedError(`${at}.user_id must be a non-empty string`);
    }
    if (!isObject(item.profile)) {
      throw seedError(`${at}.profile must be an object`);
    }
    if (item.preferences !== undefined && !isObject(item.preferences)) {
      throw seedError(`${at}.preferences must be an object`);
    }
    profiles.set(item.user_id, {
      profile: { ...item.profile },
      ...(item.preferences ? { preferences: item.preferences as ProfileRecord["preferences"] } : {}),
      created: now,
      updated: now,
    });
  });
});
