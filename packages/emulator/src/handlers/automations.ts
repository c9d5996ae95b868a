import { advanceRuns, checkSteps } from "../automations.js";
import { notFound } from "../errors.js";
import { route } from "../router.js";
import type { AutomationRunRecord, Json, Store } from "../store.js";

function start(store: Store, run: Omit<AutomationRunRecord, "id" | "next" | "status">, now: number): string {
  const id = store.nextId(now);
  if (run.recipient && Object.keys(run.profile).length > 0) {
    // Profile data in the request is merged into the stored profile (SEMANTICS §8).
    const existing = store.profiles.get(run.recipient);
    store.profiles.set(run.recipient, {
      profile: { ...existing?.profile, ...run.profile },
      created: existing?.created ?? now,
      updated: now,
    });
  }
  if (run.cancelationToken) {
    for (const other of store.runs.values()) {
      if (
        other.cancelationToken === run.cancelationToken &&
        (other.status === "WAITING" || other.status === "PROCESSING")
      ) {
        other.status = "CANCELED";
      }
    }
  }
  store.runs.set(id, { ...run, id, next: 0, status: "PROCESSING" });
  advanceRuns(store, now);
  return id;
}

export const automationRoutes = [
  // Seed 003: ad-hoc steps (send, delay, ...); returns the run id.
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
        steps: steps.map((step) => ({ action: String(step.action), status: "PENDING", step })),
      },
      now,
    );
    store.recordEffect("POST /automations/invoke");
    return { status: 200, body: { runId } };
  }),

  route("post", "/automations/{templateId}/invoke", ({ params, body, store, now, env }) => {
    const templateId = params.templateId ?? "";
    const steps = env.automations[templateId];
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
        steps: steps.map((step) => ({ action: String(step.action), status: "PENDING", step })),
      },
      now,
    );
    return { status: 200, body: { runId } };
  }),

  route("get", "/automations/runs", ({ query, store }) => {
    const status = query.get("status");
    const template = query.get("template_id");
    const limit = Math.min(50, Math.max(1, Number(query.get("limit") ?? 20) || 20));
    const offset = Number(query.get("cursor") ?? 0) || 0;
    const rows = [...store.runs.values()]
      .filter((r) => (!status || r.status === status) && (!template || r.templateId === template))
      .sort((a, b) => b.created - a.created);
    const runs = rows.slice(offset, offset + limit).map((r) => ({
      run_id: r.id,
      source: r.source,
      created_at: new Date(r.created).toISOString(),
      status: r.status,
      ...(r.templateId ? { template_id: r.templateId } : {}),
    }));
    return {
      status: 200,
      body: { runs, ...(offset + limit < rows.length ? { next_cursor: String(offset + limit) } : {}) },
    };
  }),

  route("get", "/automations/runs/{id}/steps", ({ params, store }) => {
    const run = store.runs.get(params.id ?? "");
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
