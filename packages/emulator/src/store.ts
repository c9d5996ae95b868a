/**
 * The emulator's in-memory state. Each resource module owns its records in a slot of the store (see
 * `slot()`), so the store itself knows only ids, counters and the retention limits; `reset()` drops
 * everything.
 */

export type Json = Record<string, unknown>;

/** How much the emulator keeps before it evicts the oldest records. */
export interface RetentionLimits {
  /** Messages, with their history and the request → messages index. Default 100,000. */
  messages: number;
  /** Bulk users summed over all jobs; the oldest jobs are dropped first. Default 1,000,000. */
  bulkUsers: number;
  /** Automation runs. Default 100,000. */
  automationRuns: number;
  /** Stored idempotency results (they also expire, see `idempotencyTtlMs`). Default 100,000. */
  idempotencyKeys: number;
}

/**
 * The default caps (see `RetentionLimits`).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ retention: { messages: DEFAULT_RETENTION.messages * 10 } });
 * ```
 */
export const DEFAULT_RETENTION: Readonly<RetentionLimits> = Object.freeze({
  messages: 100_000,
  bulkUsers: 1_000_000,
  automationRuns: 100_000,
  idempotencyKeys: 100_000,
});

/**
 * The emulator's in-memory state (`emulator.state`). Read it through the resource modules' accessors
 * (`profilesOf(state)`, `messagesOf(state)`, ...).
 *
 * @example
 * ```ts
 * expect(emulator.state.effects.get("POST /send")).toBe(1);
 * ```
 */
export class Store {
  /** Count of requests whose effect was recorded, per operation (`POST /send`...). */
  effects = new Map<string, number>();
  readonly retention: Readonly<RetentionLimits>;
  /** State owned by resource modules (see `slot()`), created on first use, dropped by `clear()`. */
  private slots = new Map<string, unknown>();
  private sequence = 0;

  constructor(retention: Partial<RetentionLimits> = {}) {
    const limits = { ...DEFAULT_RETENTION };
    for (const key of Object.keys(DEFAULT_RETENTION) as Array<keyof RetentionLimits>) {
      const value = retention[key];
      if (value !== undefined) {
        if (!Number.isInteger(value) || value < 1) {
          throw new TypeError(`retention.${key} must be a positive integer`);
        }
        limits[key] = value;
      }
    }
    this.retention = Object.freeze(limits);
  }

  /** The state of the resource module named `name`, made by `init` on first use after a reset. */
  slotOf<T>(name: string, init: (store: Store) => T): T {
    let value = this.slots.get(name) as T | undefined;
    if (value === undefined) {
      value = init(this);
      this.slots.set(name, value);
    }
    return value;
  }

  /** Ids look like Courier's: `1-<8 hex>-<24 hex>`. */
  nextId(now: number): string {
    this.sequence++;
    const time = Math.floor(now / 1000)
      .toString(16)
      .padStart(8, "0")
      .slice(-8);
    return `1-${time}-${this.sequence.toString(16).padStart(24, "0")}`;
  }

  /** Counts one recorded effect of `operation` (`"POST /send"`). */
  recordEffect(operation: string): void {
    this.effects.set(operation, (this.effects.get(operation) ?? 0) + 1);
  }

  /** Drops every module's state, the effect counts and the id sequence. */
  clear(): void {
    this.effects.clear();
    this.slots.clear();
    this.sequence = 0;
  }
}

/**
 * Declares the state of one resource module (brands, tenants, ...). The module keeps its own records
 * here instead of growing `Store`, and `reset()` drops them with everything else. Export the returned
 * accessor (`brandsOf`) so that tests can read the state through `emulator.state`.
 *
 * @example
 * ```ts
 * export const brandsOf = slot("brands", () => new Map<string, BrandRecord>());
 * route("get", "/brands/{brand_id}", ({ store, params }) => brandsOf(store).get(params.brand_id) ...);
 * // in a test: brandsOf(emulator.state).get("my-brand")
 * ```
 */
export function slot<T>(name: string, init: (store: Store) => T): (store: Store) => T {
  return (store) => store.slotOf(name, init);
}

/**
 * Adds `key → value` to a Map used as an insertion-ordered log, first dropping its oldest entries so that it
 * holds at most `cap` (the retention story of the modules whose records grow with traffic).
 *
 * @example
 * ```ts
 * setCapped(runsOf(store), run.id, run, store.retention.automationRuns);
 * ```
 */
export function setCapped<K, V>(map: Map<K, V>, key: K, value: V, cap: number): void {
  map.delete(key);
  for (const oldest of map.keys()) {
    if (map.size < cap) {
      break;
    }
    map.delete(oldest);
  }
  map.set(key, value);
}
