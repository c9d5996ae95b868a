import { badRequest, notFound } from "../errors.js";
import { page } from "../paging.js";
import { applyPatch } from "../patch.js";
import { assertListId } from "../patterns.js";
import { route } from "../router.js";

const SUCCESS = { status: "SUCCESS" as const };

export const profileRoutes = [
  route("get", "/profiles/{user_id}", ({ params, store }) => {
    const record = store.profiles.get(params.user_id ?? "");
    if (!record) {
      throw notFound();
    }
    return {
      status: 200,
      body: { profile: record.profile, ...(record.preferences ? { preferences: record.preferences } : {}) },
    };
  }),

  // Merge at the top level; an empty profile changes nothing (seed 002).
  route("post", "/profiles/{user_id}", ({ params, body, store, now }) => {
    const id = params.user_id ?? "";
    const existing = store.profiles.get(id);
    if (existing) {
      if (Object.keys(body.profile).length > 0) {
        existing.profile = { ...existing.profile, ...body.profile };
        existing.updated = now;
      }
    } else {
      store.profiles.set(id, { profile: { ...body.profile }, created: now, updated: now });
    }
    store.recordEffect("POST /profiles/{user_id}");
    return { status: 200, body: SUCCESS };
  }),

  // Full replacement: `{ profile: {} }` clears it.
  route("put", "/profiles/{user_id}", ({ params, body, store, now }) => {
    const id = params.user_id ?? "";
    const existing = store.profiles.get(id);
    store.profiles.set(id, {
      ...existing,
      profile: { ...body.profile },
      created: existing?.created ?? now,
      updated: now,
    });
    return { status: 200, body: SUCCESS };
  }),

  // RFC 6902 JSON Patch; creates the profile when absent; `{ patch: [] }` is a no-op.
  route("patch", "/profiles/{user_id}", ({ params, body, store, now }) => {
    const id = params.user_id ?? "";
    const existing = store.profiles.get(id);
    const next = applyPatch(existing?.profile ?? {}, body.patch);
    store.profiles.set(id, { ...existing, profile: next, created: existing?.created ?? now, updated: now });
    return { status: 204, body: undefined };
  }),

  // List subscriptions and preferences are separate resources and survive the profile.
  route("delete", "/profiles/{user_id}", ({ params, store }) => {
    store.profiles.delete(params.user_id ?? "");
    return { status: 204, body: undefined };
  }),

  route("get", "/profiles/{user_id}/lists", ({ params, query, store }) => {
    const subs = store.subscriptionsOf(params.user_id ?? "");
    const rows = subs.flatMap((sub) => {
      const list = store.lists.get(sub.listId);
      if (!list || list.deleted) {
        return [];
      }
      return [
        {
          id: list.id,
          name: list.name,
          created: list.created,
          updated: list.updated,
          ...(sub.preferences ? { preferences: sub.preferences } : {}),
        },
      ];
    });
    const { items, paging } = page(rows, query.get("cursor"));
    return { status: 200, body: { results: items, paging } };
  }),

  // Lists that do not exist are created (SEMANTICS §5).
  route("post", "/profiles/{user_id}/lists", ({ params, body, store, now }) => {
    const userId = params.user_id ?? "";
    if (body.lists.length === 0) {
      throw badRequest("lists must not be empty");
    }
    for (const { listId } of body.lists) {
      assertListId(listId);
    }
    const at = new Date(now).toISOString();
    for (const { listId, preferences } of body.lists) {
      const list = store.ensureList(listId, now);
      list.deleted = false;
      const key = store.subscriptionKey(listId, userId);
      const existing = store.subscriptions.get(key);
      store.subscriptions.set(key, {
        listId,
        recipientId: userId,
        created: existing?.created ?? at,
        ...(preferences ? { preferences } : existing?.preferences ? { preferences: existing.preferences } : {}),
      });
    }
    return { status: 200, body: SUCCESS };
  }),

  // Removes all of the user's subscriptions.
  route("delete", "/profiles/{user_id}/lists", ({ params, store }) => {
    for (const sub of store.subscriptionsOf(params.user_id ?? "")) {
      store.subscriptions.delete(store.subscriptionKey(sub.listId, sub.recipientId));
    }
    return { status: 200, body: SUCCESS };
  }),
];
