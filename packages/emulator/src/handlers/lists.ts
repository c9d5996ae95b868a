import { notFound } from "../errors.js";
import { page } from "../paging.js";
import { assertListId, compilePattern } from "../patterns.js";
import { route } from "../router.js";
import type { ListRecord, Store } from "../store.js";

function liveList(store: Store, id: string): ListRecord {
  const list = store.lists.get(id);
  if (!list || list.deleted) {
    throw notFound();
  }
  return list;
}

function view(list: ListRecord) {
  return { id: list.id, name: list.name, created: list.created, updated: list.updated };
}

function subscribe(
  store: Store,
  listId: string,
  recipients: Array<{ recipientId: string; preferences?: ListRecord["preferences"] }>,
  now: number,
) {
  const at = new Date(now).toISOString();
  const list = store.ensureList(listId, now);
  list.deleted = false;
  for (const { recipientId, preferences } of recipients) {
    const key = store.subscriptionKey(listId, recipientId);
    const existing = store.subscriptions.get(key);
    store.subscriptions.set(key, {
      listId,
      recipientId,
      created: existing?.created ?? at,
      ...((preferences ?? existing?.preferences) ? { preferences: preferences ?? existing?.preferences } : {}),
    });
  }
}

export const listRoutes = [
  route("get", "/lists", ({ query, store }) => {
    const pattern = query.get("pattern");
    const test = pattern ? compilePattern(pattern) : () => true;
    const rows = [...store.lists.values()].filter((l) => !l.deleted && test(l.id)).map(view);
    const { items, paging } = page(rows, query.get("cursor"));
    return { status: 200, body: { items, paging } };
  }),

  route("get", "/lists/{list_id}", ({ params, store }) => ({
    status: 200,
    body: view(liveList(store, params.list_id ?? "")),
  })),

  route("put", "/lists/{list_id}", ({ params, body, store, now }) => {
    const id = params.list_id ?? "";
    assertListId(id);
    const at = new Date(now).toISOString();
    const existing = store.lists.get(id);
    store.lists.set(id, {
      id,
      name: body.name,
      ...(body.preferences ? { preferences: body.preferences } : {}),
      created: existing?.created ?? at,
      updated: at,
      deleted: false,
    });
    return { status: 204, body: undefined };
  }),

  // Soft delete: subscriptions stay so that restore brings the list back whole.
  route("delete", "/lists/{list_id}", ({ params, store, now }) => {
    const list = liveList(store, params.list_id ?? "");
    list.deleted = true;
    list.updated = new Date(now).toISOString();
    return { status: 204, body: undefined };
  }),

  route("put", "/lists/{list_id}/restore", ({ params, store, now }) => {
    const list = store.lists.get(params.list_id ?? "");
    if (!list) {
      throw notFound();
    }
    list.deleted = false;
    list.updated = new Date(now).toISOString();
    return { status: 204, body: undefined };
  }),

  route("get", "/lists/{list_id}/subscriptions", ({ params, query, store }) => {
    const list = liveList(store, params.list_id ?? "");
    const rows = store.subscribersOf(list.id).map((s) => ({
      recipientId: s.recipientId,
      created: s.created,
      ...(s.preferences ? { preferences: s.preferences } : {}),
    }));
    const { items, paging } = page(rows, query.get("cursor"));
    return { status: 200, body: { items, paging } };
  }),

  // Adds subscribers, keeping existing ones; creates the list if needed.
  route("post", "/lists/{list_id}/subscriptions", ({ params, body, store, now }) => {
    const id = params.list_id ?? "";
    assertListId(id);
    subscribe(store, id, body.recipients, now);
    return { status: 204, body: undefined };
  }),

  // Replaces the subscriber set.
  route("put", "/lists/{list_id}/subscriptions", ({ params, body, store, now }) => {
    const id = params.list_id ?? "";
    assertListId(id);
    for (const sub of store.subscribersOf(id)) {
      store.subscriptions.delete(store.subscriptionKey(id, sub.recipientId));
    }
    subscribe(store, id, body.recipients, now);
    return { status: 204, body: undefined };
  }),

  route("put", "/lists/{list_id}/subscriptions/{user_id}", ({ params, body, store, now }) => {
    const id = params.list_id ?? "";
    assertListId(id);
    subscribe(store, id, [{ recipientId: params.user_id ?? "", preferences: body?.preferences ?? undefined }], now);
    return { status: 204, body: undefined };
  }),

  route("delete", "/lists/{list_id}/subscriptions/{user_id}", ({ params, store }) => {
    const key = store.subscriptionKey(params.list_id ?? "", params.user_id ?? "");
    if (!store.subscriptions.delete(key)) {
      throw notFound();
    }
    return { status: 204, body: undefined };
  }),
];
