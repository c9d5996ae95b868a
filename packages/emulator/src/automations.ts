/**
 * Automation runs advance with the clock, like messages: each request first lets every run execute the
 * steps that are due (a `delay` holds the run until its time), so nothing runs in the background.
 */
import { badRequest } from "./errors.js";
import { parseUntil, recordSend, type SendInput } from "./send.js";
import type { AutomationRunRecord, Json, Store } from "./store.js";

const UNITS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
};

/** "5 minutes", "1 hour", "30s", "2.5 hrs" → ms. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+?)s?\s*$/i.exec(text);
  if (!match) {
    return undefined;
  }
  const unit = UNITS[(match[2] as string).toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
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
    const recipient =
      (step.recipient as string | undefined) ?? run.recipient ?? (run.profile.user_id as string | undefined);
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
        template: (step.template as string | undefined) ?? run.template,
        data: { ...run.data, ...((step.data as Json) ?? {}) },
      };
  if (!message.to) {
    throw new Error("no recipient for send step");
  }
  const requestId = store.nextId(now);
  const [first] = recordSend(store, message, { requestId, now, source: "automation" });
  return first?.id;
}

/** Executes every step of every run that is due at `now`. */
export function advanceRuns(store: Store, now: number): void {
  for (const run of store.runs.values()) {
    while (run.status === "PROCESSING" || (run.status === "WAITING" && (run.waitUntil ?? 0) <= now)) {
      const current = run.steps[run.next];
      if (!current) {
        run.status = "PROCESSED";
        break;
      }
      if (run.status === "WAITING") {
        current.status = "PROCESSED";
        current.processedAt = run.waitUntil;
        run.status = "PROCESSING";
        run.waitUntil = undefined;
        run.next++;
        continue;
      }
      const at = now;
      const step = current.step;
      try {
        if (step.action === "delay") {
          const until =
            typeof step.until === "string"
              ? parseUntil(step.until)
              : at + (parseDuration(String(step.duration ?? "")) ?? 0);
          run.waitUntil = until ?? at;
          run.status = "WAITING";
          current.status = "WAITING";
          continue;
        }
        if (step.action === "send") {
          current.messageId = runSend(store, run, step, at);
        } else if (step.action === "update-profile") {
          const id = String(step.recipient_id ?? run.recipient ?? "");
          const existing = store.profiles.get(id);
          const profile =
            step.merge === "replace" || !existing
              ? (step.profile as Json)
              : { ...existing.profile, ...(step.profile as Json) };
          store.profiles.set(id, { profile, created: existing?.created ?? at, updated: at });
        } else if (step.action === "cancel") {
          for (const other of store.runs.values()) {
            if (other !== run && other.cancelationToken === step.cancelation_token && other.status !== "PROCESSED") {
              other.status = "CANCELED";
            }
          }
        }
        current.status = "PROCESSED";
        current.processedAt = at;
      } catch (error) {
        current.status = "ERROR";
        current.error = error instanceof Error ? error.message : String(error);
        run.status = "ERROR";
        break;
      }
      run.next++;
    }
  }
}
