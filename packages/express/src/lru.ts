/**
 * A bounded map with per-entry expiry. When full, the oldest entry goes unless it was read since it was
 * last passed over ("second chance", a close approximation of least recently used).
 *
 * Written here rather than taken from a package: it is 50 lines, and the one thing that matters on the
 * request path is that a read does not reorder the map. A strict LRU moves the entry on every read
 * (a delete and a set: three hash lookups, and a Map whose table fills with holes and is rebuilt every
 * few thousand reads); here a read only marks the entry, and entries move only when one is evicted.
 */
export class LruCache<K, V> {
  private map = new Map<K, { value: V; expiresAt: number; read: boolean }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    entry.read = true;
    return entry.value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    // Room is made before the new entry goes in, so that it is not the one evicted.
    while (this.map.size > 0 && this.map.size >= this.maxEntries) {
      this.evictOne();
    }
    if (this.maxEntries > 0) {
      this.map.set(key, { value, expiresAt: this.now() + this.ttlMs, read: false });
    }
  }

  /**
   * Evicts the oldest entry not read since it was last passed over; each read one on the way moves to
   * the back unmarked. Ends within one pass: an entry moved to the back is unmarked when it comes round.
   */
  private evictOne(): void {
    const now = this.now();
    for (const [key, entry] of this.map) {
      this.map.delete(key);
      if (!entry.read || entry.expiresAt <= now) {
        return;
      }
      entry.read = false;
      this.map.set(key, entry);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}
