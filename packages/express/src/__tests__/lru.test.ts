import { describe, expect, it } from "vitest";
import { LruCache } from "../lru.js";

describe("LruCache", () => {
  it("holds at most maxEntries, the oldest unread going first", () => {
    const cache = new LruCache<string, number>(3, 60_000);
    for (const [i, key] of ["a", "b", "c", "d"].entries()) {
      cache.set(key, i);
    }
    expect(cache.size).toBe(3);
    expect(cache.get("a")).toBeUndefined();
    expect([cache.get("b"), cache.get("c"), cache.get("d")]).toEqual([1, 2, 3]);
  });

  it("keeps an entry read since it was set over older unread ones (second chance)", () => {
    const cache = new LruCache<string, number>(3, 60_000);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.get("a")).toBe(1);
    cache.set("d", 4);
    // "a" was read, so "b" (the oldest unread) went instead.
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    // "a" was moved to the back unmarked, then read again; "c" is now the oldest unread.
    cache.set("e", 5);
    expect(cache.get("c")).toBeUndefined();
    expect([cache.get("a"), cache.get("d"), cache.get("e")]).toEqual([1, 4, 5]);
  });

  it("evicts one entry even when every entry has been read", () => {
    const cache = new LruCache<string, number>(3, 60_000);
    for (const key of ["a", "b", "c"]) {
      cache.set(key, 0);
      cache.get(key);
    }
    cache.set("d", 1);
    expect(cache.size).toBe(3);
    // All were read: each was passed over once, and the first of them came round unmarked. The new
    // entry is never the one to go.
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("d")).toBe(1);
  });

  it("holds nothing when maxEntries is 0", () => {
    const cache = new LruCache<string, number>(0, 60_000);
    cache.set("a", 1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("forgets entries once their time is up, and evicts an expired entry before a live one", () => {
    let now = 0;
    const cache = new LruCache<string, number>(2, 1_000, () => now);
    cache.set("old", 1);
    cache.get("old");
    now = 500;
    cache.set("new", 2);
    now = 1_000;
    expect(cache.get("old")).toBeUndefined();
    expect(cache.size).toBe(1);
    cache.set("old", 3);
    now = 1_200;
    cache.get("old");
    now = 1_600;
    // "new" has expired (set at 500): it goes, although a later read would have found it gone anyway.
    cache.set("third", 4);
    expect(cache.size).toBe(2);
    expect([cache.get("old"), cache.get("third")]).toEqual([3, 4]);
  });

  it("setting a key again replaces its value and its time, and leaves it unread", () => {
    let now = 0;
    const cache = new LruCache<string, number>(2, 1_000, () => now);
    cache.set("a", 1);
    now = 900;
    cache.set("a", 2);
    now = 1_500;
    expect(cache.get("a")).toBe(2);
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
