import type { components } from "@courier-ts/core";
import { notFound } from "../errors.js";
import { pageOf } from "../paging.js";
import { assertListId, compilePattern } from "../patterns.js";
import { route } from "../router.js";
import { defineSeed, isObject, seedError } from "../seed.js";
import { slot } from "../store.js";

type Preferences = components["schemas"]["RecipientPreferences"];

/**
 * A list, as `listsOf(state).lists` holds it. A deleted list is kept (`deleted: true`) so it can be restored.
 *
 * @example
 * ```ts
 * expect(listsOf(emulator.state).lists.get("newsletter")?.name).toBe("Newsletter");
 * ```
 */
export interface ListRecord {
  id: string;
  name: string;
  preferences?: Preferences;
  created: string;
  updated: string;
  deleted: boolean;
}

/**
 * One recipient's subscription to one list.
 *
 * @example
 * ```ts
 * expect(listsOf(emulator.state).subscriptionsOf("alice").map((s) => s.listId)).toEqual(["newsletter"]);
 * ```
 */
export interface SubscriptionRecord {
  listId: string;
  recipientId: string;
  created: string;
  preferences?: Preferences;
}

/** Lists and subscriptions, indexed both ways so that neither side scans the other. */
export class ListState {
  readonly lists = new Map<string, ListRecord>();
  /** list id → recipient id → subscription. */
  private byList = new Map<string, Map<string, SubscriptionRecord>>();
  /** recipient id → list id → subscription (the same records). */
  private byRecipient = new Map<string, Map<string, SubscriptionRecord>>();

  /** The subscriptions of a list, in subscription order. */
  subscribersOf(listId: string): Iterable<SubscriptionRecord> {
    return this.byList.get(listId)?.values() ?? [];
  }

  /** The lists a recipient is subscribed to. */
  subscriptionsOf(recipientId: string): SubscriptionRecord[] {
    return [...(this.byRecipient.get(recipientId)?.values() ?? [])];
  }

  /** One recipient's subscription to one list, if any. */
  subscription(listId: string, recipientId: string): SubscriptionRecord | undefined {
    return this.byList.get(listId)?.get(recipientId);
  }

  /** Creates the list if it does not exist (subscribe calls auto-create lists), undeleting it. */
  ensureList(listId: string, now: number): ListRecord {
    let list = this.lists.get(listId);
    if (!list) {
      const at = new Date(now).toISOString();
      list = { id: listId, name: listId, created: at, updated: at, deleted: false };
      this.lists.set(listId, list);
    }
    list.deleted = false;
    return list;
  }

  /** Adds or updates subscriptions (keeping their creation time and, unless given, their preferences). */
  subscribe(listId: string, recipients: Array<{ recipientId: string; preferences?: Preferences }>, now: number) {
    const at = new Date(now).toISOString();
    this.ensureList(listId, now);
    for (const { recipientId, preferences } of recipients) {
      const existing = this.subscription(listId, recipientId);
      const next: SubscriptionRecord = {
        listId,
        recipientId,
        created: existing?.created ?? at,
        ...((preferences ?? existing?.preferences) ? { preferences: preferences ?? existing?.preferences } : {}),
      };
      this.index(this.byList, listId, recipientId, next);
      this.index(this.byRecipient, recipientId, listId, next);
    }
  }

  /** Removes one subscription; false when there was none. */
  unsubscribe(listId: string, recipientId: string): boolean {
    const removed = this.byList.get(listId)?.delete(recipientId) ?? false;
    this.byRecipient.get(recipientId)?.delete(listId);
    this.prune(listId, recipientId);
    return removed;
  }

  /** Removes a recipient's subscriptions to every list. */
  unsubscribeAll(recipientId: string): void {
    for (const listId of [...(this.byRecipient.get(recipientId)?.keys() ?? [])]) {
      this.unsubscribe(listId, recipientId);
    }
  }

  /** Removes every subscription of a list. */
  clearList(listId: string): void {
    for (const recipientId of [...(this.byList.get(listId)?.keys() ?? [])]) {
      this.unsubscribe(listId, recipientId);
    }
  }

  /** Every subscription, for tests that compare whole states. */
  *subscriptions(): Generator<SubscriptionRecord> {
    for (const subs of this.byList.values()) {
      yield* subs.values();
    }
  }

  private index<T>(outer: Map<string, Map<string, T>>, a: string, b: string, value: T): void {
    let inner = outer.get(a);
    if (!inner) {
      inner = new Map();
      outer.set(a, inner);
    }
    inner.set(b, value);
  }

  private prune(listId: string, recipientId: string): void {
    if (this.byList.get(listId)?.size === 0) {
      this.byList.delete(listId);
    }
    if (this.byRecipient.get(recipientId)?.size === 0) {
      this.byRecipient.delete(recipientId);
    }
  }
}

/**
 * The lists and subscriptions.
 *
 * @example
 * ```ts
 * expect(listsOf(emulator.state).subscriptionsOf("alice").map((s) => s.listId)).toEqual(["newsletter"]);
 * ```
 */
export const listsOf = slot("lists", () => new ListState());

function liveList(state: ListState, id: string): ListRecord {
  const list = state.lists.get(id);
  if (!list || list.deleted) {
    throw notFound();
  }
  return list;
}

function view(list: ListRecord) {
  return { id: list.id, name: list.name, created: list.created, updated: list.updated };
}

export const listRoutes = [
  route("get", "/lists", ({ query, store }) => {
    const pattern = query.get("pattern");
    const test = pattern ? compilePattern(pattern) : () => true;
    const rows = (function* () {
      for (const list of listsOf(store).lists.values()) {
        if (!list.deleted && test(list.id)) {
          yield view(list);
        }
      }
    })();
    const { items, paging } = pageOf(rows, query.get("cursor"));
    return { status: 200, body: { items, paging } };
  }),

  route("get", "/lists/{list_id}", ({ params, store }) => ({
    status: 200,
    body: view(liveList(listsOf(store), params.list_id ?? "")),
  })),

  route("put", "/lists/{list_id}", ({ params, body, store, now }) => {
    const id = params.list_id ?? "";
    assertListId(id);
    const at = new Date(now).toISOString();
    const lists = listsOf(store).lists;
    const existing = lists.get(id);
    lists.set(id, {
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
    const list = liveList(listsOf(store), params.list_id ?? "");
    list.deleted = true;
    list.updated = new Date(now).toISOString();
    return { status: 204, body: undefined };
  }),

  route("put", "/lists/{list_id}/restore", ({ params, store, now }) => {
    const list = listsOf(store).lists.get(params.list_id ?? "");
    if (!list) {
      throw notFound();
    }
    list.deleted = false;
    list.updated = new Date(now).toISOString();
    return { status: 204, body: undefined };
  }),

  route("get", "/lists/{list_id}/subscriptions", ({ params, query, store }) => {
    const state = listsOf(store);
    const list = liveList(state, params.list_id ?? "");
    const rows = (function* () {
      for (const s of state.subscribersOf(list.id)) {
        yield {
          recipientId: s.recipientId,
          created: s.created,
          ...(s.preferences ? { preferences: s.preferences } : {}),
        };
      }
    })();
    const { items, paging } = pageOf(rows, query.get("cursor"));
    return { status: 200, body: { items, paging } };
  }),

  // Adds subscribers, keeping existing ones; creates the list if needed.
  route("post", "/lists/{list_id}/subscriptions", ({ params, body, store, now }) => {
    const id = params.list_id ?? "";
    assertListId(id);
    listsOf(store).subscribe(id, subscribers(body.recipients), now);
    return { status: 204, body: undefined };
  }),

  // Replaces the subscriber set.
  route("put", "/lists/{list_id}/subscriptions", ({ params, body, store, now }) => {
    const id = params.list_id ?? "";
    assertListId(id);
    const state = listsOf(store);
    state.clearList(id);
    state.subscribe(id, subscribers(body.recipients), now);
    return { status: 204, body: undefined };
  }),

  route("put", "/lists/{list_id}/subscriptions/{user_id}", ({ params, body, store, now }) => {
    const id = params.list_id ?? "";
    assertListId(id);
    listsOf(store).subscribe(
      id,
      [{ recipientId: params.user_id ?? "", preferences: body?.preferences ?? undefined }],
      now,
    );
    return { status: 204, body: undefined };
  }),

  route("delete", "/lists/{list_id}/subscriptions/{user_id}", ({ params, store }) => {
    if (!listsOf(store).unsubscribe(params.list_id ?? "", params.user_id ?? "")) {
      throw notFound();
    }
    return { status: 204, body: undefined };
  }),
];

function subscribers(recipients: Array<{ recipientId: string; preferences?: Preferences | null }>) {
  return recipients.map((r) => ({ recipientId: r.recipientId, preferences: r.preferences ?? undefined }));
}

/** `seed.lists`: `[{ id, name?, preferences?, subscribers?: ["user-id" | { recipientId, preferences? }] }]`. */
export const listSeed = defineSeed("lists", (store, items, now) => {
  const state = listsOf(store);
  items.forEach((item, i) => {
    const at = `lists[${i}]`;
    if (!isObject(item) || typeof item.id !== "string") {
      throw seedError(`${at}.id must be a string`);
    }
    try {
      assertListId(item.id);
    } catch (error) {
      throw seedError(`${at}.id: ${(error as Error).message}`);
    }
    if (item.subscribers !== undefined && !Array.isArray(item.subscribers)) {
      throw seedError(`${at}.subscribers must be an array`);
    }
    const list = state.ensureList(item.id, now);
    list.name = typeof item.name === "string" ? item.name : item.id;
    if (isObject(item.preferences)) {
      list.preferences = item.preferences as Preferences;
    }
    const subs = (item.subscribers ?? []) as unknown[];
    state.subscribe(
      item.id,
      subs.map((sub, j) => {
        if (typeof sub === "string" && sub !== "") {
          return { recipientId: sub };
        }
        if (isObject(sub) && typeof sub.recipientId === "string" && sub.recipientId !== "") {
          return { recipientId: sub.recipientId, preferences: sub.preferences as Preferences | undefined };
        }
        throw seedError(`${at}.subscribers[${j}] must be a user id or { recipientId }`);
      }),
      now,
    );
  });
});
