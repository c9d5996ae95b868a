/**
 * Stored results of requests made with an `Idempotency-Key`. Records expire (24 h by default, like
 * Courier, or later when `x-idempotency-expiration` asks for it) and count toward
 * `retention.idempotencyKeys`: the oldest are evicted first when the cap is reached.
 */
import { type Store, slot } from "./store.js";

export const DAY_MS = 86_400_000;

/** A stored answer to an idempotent request, replayed for the same key until `expiresAt`. */
export interface IdempotentResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  expiresAt: number;
}

/**
 * Stored idempotent results (`idempotencyOf(state)`), capped at `retention.idempotencyKeys`: expired ones are
 * evicted first, then the oldest.
 *
 * @example
 * ```ts
 * expect(idempotencyOf(emulator.state).records.size).toBe(1);
 * ```
 */
export class IdempotencyStore {
  /** Insertion order is storage order, so the first entries are the oldest. */
  readonly records = new Map<string, IdempotentResult>();

  constructor(readonly cap: number) {}

  /** The live record for `key`; an expired one is dropped. */
  get(key: string, now: number): IdempotentResult | undefined {
    const record = this.records.get(key);
    if (record && record.expiresAt <= now) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  /** Stores a result under `key` (a hash of route, path and key), evicting expired or oldest ones beyond the cap. */
  set(key: string, result: IdempotentResult, now: number): void {
    this.records.delete(key);
    // Expired records at the old end go first; then the cap evicts the oldest live ones.
    for (const [oldKey, old] of this.records) {
      if (old.expiresAt > now && this.records.size < this.cap) {
        break;
      }
      this.records.delete(oldKey);
    }
    this.records.set(key, result);
  }
}

/**
 * The stored idempotent results, key → result.
 *
 * @example
 * ```ts
 * expect(idempotencyOf(emulator.state).records.size).toBe(1);
 * ```
 */
export const idempotencyOf = slot(
  "idempotency",
  (store: Store) => new IdempotencyStore(store.retention.idempotencyKeys),
);

/**
 * When a record made at `now` expires: `ttlMs` later, or at `x-idempotency-expiration` when that is later
 * (epoch ms or seconds, values above 1e12 being ms, or ISO 8601).
 */
export function expiresAt(header: string | undefined, now: number, ttlMs: number): number {
  if (!header) {
    return now + ttlMs;
  }
  const n = Number(header);
  const at = Number.isFinite(n) ? (n > 1e12 ? n : n * 1000) : Date.parse(header);
  return Number.isNaN(at) ? now + ttlMs : Math.max(at, now + ttlMs);
}
