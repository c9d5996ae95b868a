/**
 * Automation runs advance with the clock, like messages: each request first lets the runs that are due
 * execute their next steps (a `delay` holds a run until its time), so nothing runs in the background.
 * Waiting runs sit in a min-heap on their wake-up time, so a request touches only the runs that are due,
 * never every run ever created.
 */
import { Heap } from "heap-js";
import { badRequest } from "./errors.js";
import { profilesOf } from "./handlers/profiles.js";
import { Ring } from "./ring.js";
import { parseUntil, recordSend, type SendInput } from "./send.js";
import { type Json, type Store, slot } from "./store.js";

export interface AutomationStepRecord {
  action: string;
  status: "PENDING" | "WAITING" | "PROCESSED" | "CANCELED" | "ERROR";
  step: Json;
  processedAt?: number;
  messageId?: string;
  error?: string;
}

/**
 * One automation run (ad-hoc or from a template), as `automationsOf(state).runs` holds it.
 *
 * @example
 * ```ts
 * const run = automationsOf(emulator.state).runs.get(runId);
 * expect(run?.status).toBe("WAITING");
 * ```
 */
export interface AutomationRunRecord {
  id: string;
  /** Position in the run log, for listing cursors. */
  seq: number;
  templateId?: string;
  source: string[];
  created: number;
  recipient?: string;
  data: Json;
  profile: Json;
  brand?: string;
  template?: string;
  cancelationToken?: string;
  steps: AutomationStepRecord[];
  /** Index of the next step to run. */
  next: number;
  /** Set while a delay step holds the run. */
  waitUntil?: number;
  status: "PROCESSING" | "WAITING" | "PROCESSED" | "CANCELED" | "ERROR";
}

/** A stored automation template, for `POST /automations/{templateId}/invoke`. */
export interface AutomationTemplateRecord {
  id: string;
  name: string;
  steps: Json[];
}

/** Runs (capped at `retention.automationRuns`, oldest evicted first), the wake-up heap and the templates. */
export class AutomationState {
  readonly runs = new Map<string, AutomationRunRecord>();
  readonly templates = new Map<string, AutomationTemplateRecord>();
  /** cancelation token → ids of the runs that carry it. */
  readonly byToken = new Map<string, Set<string>>();
  readonly waiting = new Heap<{ at: number; run: AutomationRunRecord }>((a, b) => a.at - b.at);
  /** The runs in creation order, for listing newest first from a cursor. */
  readonly log = new Ring<AutomationRunRecord>();

  constructor(readonly cap: number) {}

  /** Stores a new run, evicting the oldest runs beyond the cap, and returns it with its sequence number. */
  add(fields: Omit<AutomationRunRecord, "seq">): AutomationRunRecord {
    while (this.runs.size >= this.cap) {
      const oldest = this.log.shift();
      if (!oldest) {
        break;
      }
      this.remove(oldest);
    }
    const run: AutomationRunRecord = { ...fields, seq: this.log.nextSeq };
    this.log.push(run);
    this.runs.set(run.id, run);
    if (this.waiting.size() > 2 * this.runs.size + 1024) {
      // Canceled and evicted runs leave stale entries that would otherwise wait for their (maybe distant)
      // wake-up time: rebuild from the runs still waiting, so the heap stays within the run cap.
      const live = [...this.runs.values()].filter((r) => r.status === "WAITING" && r.waitUntil !== undefined);
      this.waiting.clear();
      this.waiting.init(live.map((r) => ({ at: r.waitUntil as number, run: r })));
    }
    if (run.cancelationToken) {
      let ids = this.byToken.get(run.cancelationToken);
      if (!ids) {
        ids = new Set();
        this.byToken.set(run.cancelationToken, ids);
      }
      ids.add(run.id);
    }
    return run;
  }

  /** Cancels the live runs carrying `token`, except `keep`. */
  cancel(token: string, keep?: AutomationRunRecord): void {
    for (const id of this.byToken.get(token) ?? []) {
      const run = this.runs.get(id);
      if (run && run !== keep && (run.status === "WAITING" || run.status === "PROCESSING")) {
        run.status = "CANCELED";
        run.waitUntil = undefined;
      }
    }
  }

  private remove(run: AutomationRunRecord): void {
    this.runs.delete(run.id);
    // A waiting run stays in the heap until it is due; it is skipped then, as it is no longer stored.
    run.status = run.status === "WAITING" ? "CANCELED" : run.status;
    const ids = run.cancelationToken ? this.byToken.get(run.cancelationToken) : undefined;
    ids?.delete(run.id);
    if (ids?.size === 0 && run.cancelationToken) {
      this.byToken.delete(run.cancelationToken);
    }
  }
}

/**
 * The automation runs and templates.
 *
 * @example
 * ```ts
 * expect(automationsOf(emulator.state).runs.get(runId)?.status).toBe("WAITING");
 * ```
 */
export const automationsOf = slot("automations", (store: Store) => new AutomationState(store.retention.automationRuns));

const UNITS = new Map<string, number>([
  ["ms", 1],
  ["millisecond", 1],
  ["s", 1000],
  ["sec", 1000],
  ["second", 1000],
  ["m", 60_000],
  ["min", 60_000],
  ["minute", 60_000],
  ["h", 3_600_000],
  ["hr", 3_600_000],
  ["hour", 3_600_000],
  ["d", 86_400_000],
  ["day", 86_400_000],
  ["w", 604_800_000],
  ["week", 604_800_000],
]);

/** "5 minutes", "1 hour", "30s", "2.5 hrs" → ms. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+?)s?\s*$/i.exec(text);
  if (!match) {
    return undefined;
  }
  const unit = UNITS.get((match[2] as string).toLowerCase());
  const ms = unit === undefined ? undefined : Number(match[1]) * unit;
  return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
}

export function checkSteps(steps: Array<Record<string, unknown>>): void {
  steps.forEach((step, i) => {
    if (step.action === "delay") {
      const until = typeof step.until === "string" ? parseUntil(step.until) : undefined;
      const duration = typeof step.duration === "string" ? parseDuration(step.duration) : undefined;
      if (until === undefined && duration === undefined) {
        throw badRequest(
          `automation.steps[${i}]: a delay needs a valid "until" (ISO 8601) or "duration" ("5 minutes")`,
        );
      }
    }
    if (step.action === "send" && !step.template && !step.message) {
      throw badRequest(`automation.steps[${i}]: a send step needs "template" or "message"`);
    }
  });
}

function runSend(store: Store, run: AutomationRunRecord, step: Json, now: number): string | undefined {
  const legacyTo = (): Json | undefined => {
    const recipient = [step.recipient, run.recipient, run.profile.user_id].find((r) => typeof r === "string");
    const profile = { ...run.profile, ...((step.profile as Json | undefined) ?? {}) };
    if (recipient) {
      return { user_id: recipient };
    }
    if (typeof profile.email === "string") {
      return { email: profile.email };
    }
    return typeof profile.phone_number === "string" ? { phone_number: profile.phone_number } : undefined;
  };
  const message: SendInput = step.message
    ? (step.message as SendInput)
    : {
        to: legacyTo(),
        template: typeof step.template === "string" ? step.template : run.template,
        data: { ...run.data, ...(typeof step.data === "object" ? (step.data as Json) : {}) },
      };
  if (!message.to) {
    throw new Error("no recipient for send step");
  }
  const requestId = store.nextId(now);
  const [first] = recordSend(store, message, { requestId, now, source: "automation" });
  return first?.id;
}

/** Runs `run` from its next step until it waits, ends or fails. */
function step(store: Store, state: AutomationState, run: AutomationRunRecord, now: number): void {
  while (run.status === "PROCESSING") {
    const current = run.steps[run.next];
    if (!current) {
      run.status = "PROCESSED";
      return;
    }
    const at = now;
    const spec = current.step;
    try {
      if (spec.action === "delay") {
        const until =
          typeof spec.until === "string"
            ? parseUntil(spec.until)
            : at + ((typeof spec.duration === "string" ? parseDuration(spec.duration) : undefined) ?? 0);
        run.waitUntil = until ?? at;
        run.status = "WAITING";
        current.status = "WAITING";
        state.waiting.push({ at: run.waitUntil, run });
        return;
      }
      if (spec.action === "send") {
        current.messageId = runSend(store, run, spec, at);
      } else if (spec.action === "update-profile") {
        const id = [spec.recipient_id, run.recipient].find((r): r is string => typeof r === "string" && r !== "");
        if (id === undefined) {
          throw new Error("no recipient for update-profile step");
        }
        const profiles = profilesOf(store);
        const existing = profiles.get(id);
        const update = typeof spec.profile === "object" && spec.profile !== null ? (spec.profile as Json) : {};
        const profile = spec.merge === "replace" || !existing ? { ...update } : { ...existing.profile, ...update };
        profiles.set(id, { ...existing, profile, created: existing?.created ?? at, updated: at });
      } else if (spec.action === "cancel" && typeof spec.cancelation_token === "string") {
        state.cancel(spec.cancelation_token, run);
      }
      current.status = "PROCESSED";
      current.processedAt = at;
    } catch (error) {
      current.status = "ERROR";
      current.error = error instanceof Error ? error.message : String(error);
      run.status = "ERROR";
      return;
    }
    run.next++;
  }
}

/** Starts a new run: it executes at once up to its first delay. */
export function startRun(store: Store, fields: Omit<AutomationRunRecord, "seq">, now: number): AutomationRunRecord {
  const state = automationsOf(store);
  if (fields.cancelationToken) {
    state.cancel(fields.cancelationToken);
  }
  const run = state.add(fields);
  step(store, state, run, now);
  return run;
}

/** Wakes the runs whose delay is over at `now`, earliest first. */
export function advanceRuns(store: Store, now: number): void {
  const state = automationsOf(store);
  for (let next = state.waiting.peek(); next && next.at <= now; next = state.waiting.peek()) {
    state.waiting.pop();
    const { run, at } = next;
    // Canceled, evicted or re-queued runs left a stale entry behind: skip it.
    if (run.status !== "WAITING" || run.waitUntil !== at || state.runs.get(run.id) !== run) {
      continue;
    }
    const current = run.steps[run.next];
    if (current) {
      current.status = "PROCESSED";
      current.processedAt = at;
    }
    run.status = "PROCESSING";
    run.waitUntil = undefined;
    run.next++;
    step(store, state, run, now);
  }
}
