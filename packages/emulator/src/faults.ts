/** The faults the emulator can inject, for testing a client's retries. */
export type FaultKind =
  /** 500 Internal Server Error, before anything is recorded. */
  | "500"
  /** 502 Bad Gateway, before anything is recorded. */
  | "502"
  /** 503 Service Unavailable, before anything is recorded. */
  | "503"
  /** 429 with `Retry-After`, before anything is recorded. */
  | "429"
  /** The connection is destroyed before the request is processed. */
  | "reset-before"
  /** The request is processed and its effect recorded, then the connection is destroyed unanswered. */
  | "reset-after";

/**
 * Every fault kind, the default of `FaultOptions.kinds`.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ faults: { rate: 0.2, kinds: ALL_FAULTS.filter((k) => k !== "reset-after") } });
 * ```
 */
export const ALL_FAULTS: readonly FaultKind[] = ["500", "502", "503", "429", "reset-before", "reset-after"];

/**
 * Fault mode: a seeded share of requests fails (5xx, 429 with `Retry-After`, or a connection reset before or
 * after the effect is recorded), to test a client's retries.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ faults: { rate: 0.3, seed: 42, match: (_method, path) => path === "/send" } });
 * ```
 */
export interface FaultOptions {
  /** Share of requests that get a fault, 0..1. */
  rate: number;
  /** Seed of the fault sequence: the same seed and requests give the same faults. Default 1. */
  seed?: number;
  /** Which faults to draw from (uniformly). Default: all. */
  kinds?: readonly FaultKind[];
  /** `Retry-After` seconds sent with 429. Default 0. */
  retryAfterSeconds?: number;
  /** Restrict faults to matching requests (method upper-case, raw path). Default: every API request. */
  match?: (method: string, path: string) => boolean;
}

/** mulberry32: a tiny seeded PRNG, so a fault run can be reproduced. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A zero count for every fault kind. */
export function noFaults(): Record<FaultKind, number> {
  return Object.fromEntries(ALL_FAULTS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}

export class FaultPlan {
  private random: () => number;
  readonly counts = noFaults();

  constructor(readonly options: FaultOptions) {
    this.random = seededRandom(options.seed ?? 1);
  }

  /** The fault for the next request, if any. */
  draw(method: string, path: string): FaultKind | undefined {
    if (this.options.rate <= 0 || (this.options.match && !this.options.match(method, path))) {
      return undefined;
    }
    const roll = this.random();
    const pick = this.random();
    if (roll >= this.options.rate) {
      return undefined;
    }
    const kinds = this.options.kinds?.length ? this.options.kinds : ALL_FAULTS;
    const kind = kinds[Math.min(kinds.length - 1, Math.floor(pick * kinds.length))] as FaultKind;
    this.counts[kind]++;
    return kind;
  }
}
