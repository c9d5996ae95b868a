import { type AutomationRunRecord, automationsOf, checkSteps, startRun } from "../automations.js";
import { notFound } from "../errors.js";
import { decodeCursor, encodeCursor } from "../paging.js";
import { route } from "../router.js";
import { defineSeed, isObject, seedError } from "../seed.js";
import type { Json, Store } from "../store.js";
import { mergeProfile } from "./profiles.js";

function actionOf(step: Json): string {
  return typeof step.action === "string" ? step.action : "unknown";
}

function start(store: Store, run: Omit<AutomationRunRecord, "id" | "next" | "status" | "seq">, now: number): string {
  const id = store.nextId(now);
  if (run.recipient && Object.keys(run.profile).length > 0) {
    // Profile data in the request is merged into the stored profile.
    mergeProfile(store, run.recipient, run.profile, now);
  }
  startRun(store, { ...run, id, next: 0, status: "PROCESSING" }, now);
  return id;
}

export const automationRoutes = [
  // Ad-hoc steps (send, delay, ...); returns the run id.
  route("post", "/automations/invoke", ({ body, store, now }) => {
    const steps = body.automation.steps as unknown as Json[];
    checkSteps(steps);
    const profile = (body.profile ?? {}) as Json;
    const runId = start(
      store,
      {
        source: ["ad-hoc"],
        created: now,
        recipient: body.recipient ?? (typeof profile.user_id === "string" ? profile.user_id : undefined),
        data: (body.data ?? {}) as Json,
        profile,
        brand: body.brand ?? undefined,
        template: body.template ?? undefined,
        cancelationToken: body.automation.cancelation_token ?? undefined,
        steps: steps.map((step) => ({ action: actionOf(step), status: "PENDING", step })),
      },
      now,
    );
    store.recordEffect("POST /automations/invoke");
    return { status: 200, body: { runId } };
  }),

  route("post", "/automations/{templateId}/invoke", ({ params, body, store, now }) => {
    const templateId = params.templateId ?? "";
    const steps = automationsOf(store).templates.get(templateId)?.steps;
    if (!steps) {
      throw notFound(`Automation template "${templateId}" not found`);
    }
    const runId = start(
      store,
      {
        templateId,
        source: ["template"],
        created: now,
        recipient: body.recipient ?? undefined,
        data: (body.data ?? {}) as Json,
        profile: (body.profile ?? {}) as Json,
        brand: body.brand ?? undefined,
        template: body.template ?? undefined,
        steps: steps.map((step) => ({ action: actionOf(step), status: "PENDING", step })),
      },
      now,
    );
    return { status: 200, body: { runId } };
  }),

  route("get", "/automations/runs", ({ query, store }) => {
    const status = query.get("status");
    const template = query.get("template_id");
    const limit = Math.min(50, Math.max(1, Number(query.get("limit") ?? 20) || 20));
    const cursor = query.get("cursor");
    // Newest first from the cursor's place in the run log: a page costs O(page).
    const state = automationsOf(store);
    const rows: AutomationRunRecord[] = [];
    let next: number | undefined;
    for (const run of state.log.newestFirst(cursor ? decodeCursor("r", cursor) : undefined)) {
      if ((status && run.status !== status) || (template && run.templateId !== template)) {
        continue;
      }
      if (rows.length === limit) {
        next = run.seq;
        break;
      }
      rows.push(run);
    }
    const runs = rows.map((r) => ({
      run_id: r.id,
      source: r.source,
      created_at: new Date(r.created).toISOString(),
      status: r.status,
      ...(r.templateId ? { template_id: r.templateId } : {}),
    }));
    return { status: 200, body: { runs, ...(next !== undefined ? { next_cursor: encodeCursor("r", next) } : {}) } };
  }),

  route("get", "/automations/runs/{id}/steps", ({ params, store }) => {
    const run = automationsOf(store).runs.get(params.id ?? "");
    if (!run) {
      throw notFound("Run Not Found");
    }
    const steps = run.steps.map((s, index) => ({
      step_id: `${run.id}:${index}`,
      action: s.action,
      status: s.status,
      created_at: new Date(run.created).toISOString(),
      ...(s.processedAt !== undefined ? { updated_at: new Date(s.processedAt).toISOString() } : {}),
      ...(s.messageId ? { message_id: s.messageId } : {}),
    }));
    return { status: 200, body: { steps } };
  }),
];

/** Loads automation templates (from the `automations` option or a fixture) after checking their steps. */
export function addTemplates(store: Store, templates: Iterable<{ id: string; name?: string; steps: Json[] }>): void {
  const state = automationsOf(store);
  for (const { id, name, steps } of templates) {
    checkSteps(steps);
    state.templates.set(id, { id, name: name ?? id, steps });
  }
}

/** `seed.automations`: templates `[{ id, name?, steps }]` for `POST /automations/{templateId}/invoke`. */
export const automationSeed = defineSeed("automations", (store, items) => {
  items.forEach((item, i) => {
    if (!isObject(item) || typeof item.id !== "string" || item.id === "") {
      throw seedError(`automations[${i}].id must be a non-empty string`);
    }
    if (!Array.isArray(item.steps) || !item.steps.every(isObject)) {
      throw seedError(`automations[${i}].steps must be an array of step objects`);
    }
    try {
      addTemplates(store, [
        { id: item.id, name: typeof item.name === "string" ? item.name : undefined, steps: item.steps },
      ]);
    } catch (error) {
      throw seedError(`automations[${i}]: ${(error as Error).message}`);
    }
  });
});
