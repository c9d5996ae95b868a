import { notFound } from "../errors.js";
import { assertFilters, inAudience } from "../filters.js";
import { page } from "../paging.js";
import { route } from "../router.js";
import type { AudienceRecord } from "../store.js";

function view(a: AudienceRecord) {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    operator: a.operator,
    filter: a.filter,
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

export const audienceRoutes = [
  route("put", "/audiences/{audience_id}", ({ params, body, store, now }) => {
    const id = params.audience_id ?? "";
    const existing = store.audiences.get(id);
    const filter = body.filter ?? existing?.filter ?? { filters: [] };
    assertFilters(filter.filters);
    const at = new Date(now).toISOString();
    const audience: AudienceRecord = {
      id,
      name: body.name ?? existing?.name ?? id,
      description: body.description ?? existing?.description ?? "",
      operator: body.operator ?? existing?.operator ?? "AND",
      filter,
      created_at: existing?.created_at ?? at,
      updated_at: at,
      version: (existing?.version ?? 0) + 1,
    };
    store.audiences.set(id, audience);
    return { status: 200, body: { audience: view(audience) } };
  }),

  route("get", "/audiences/{audience_id}", ({ params, store }) => {
    const audience = store.audiences.get(params.audience_id ?? "");
    if (!audience) {
      throw notFound();
    }
    return { status: 200, body: view(audience) };
  }),

  route("delete", "/audiences/{audience_id}", ({ params, store }) => {
    if (!store.audiences.delete(params.audience_id ?? "")) {
      throw notFound();
    }
    return { status: 204, body: undefined };
  }),

  route("get", "/audiences", ({ query, store }) => {
    const { items, paging } = page([...store.audiences.values()].map(view), query.get("cursor"));
    return { status: 200, body: { items, paging } };
  }),

  // Members are evaluated against the current profiles on every call.
  route("get", "/audiences/{audience_id}/members", ({ params, query, store }) => {
    const audience = store.audiences.get(params.audience_id ?? "");
    if (!audience) {
      throw notFound();
    }
    const members = [...store.profiles.entries()]
      .filter(([userId, record]) => inAudience(audience, userId, record.profile))
      .map(([userId, record]) => ({
        member_id: userId,
        audience_id: audience.id,
        audience_version: audience.version,
        added_at: new Date(Math.max(record.updated, Date.parse(audience.updated_at))).toISOString(),
        reason: "FILTER_MATCH",
      }));
    const { items, paging } = page(members, query.get("cursor"));
    return { status: 200, body: { items, paging } };
  }),
];
