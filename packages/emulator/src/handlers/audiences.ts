import type { components } from "@courier-ts/core";
import { notFound } from "../errors.js";
import { assertFilters, inAudience } from "../filters.js";
import { pageOf } from "../paging.js";
import { type RequestBody, route } from "../router.js";
import { defineSeed, isObject, seedError } from "../seed.js";
import { slot } from "../store.js";
import { validateBody } from "../validate.js";
import { profilesOf } from "./profiles.js";

type Schemas = components["schemas"];

/**
 * A stored audience, as `audiencesOf(state)` holds it (the `PUT /audiences/{audience_id}` body plus bookkeeping).
 *
 * @example
 * ```ts
 * expect(audiencesOf(emulator.state).get("pro-users")?.filter).toBeDefined();
 * ```
 */
export interface AudienceRecord {
  id: string;
  name: string;
  description: string;
  operator: Schemas["LogicalOperator"];
  filter: Schemas["AudienceFilterConfig"];
  created_at: string;
  updated_at: string;
  version: number;
}

/**
 * The audiences, id → record.
 *
 * @example
 * ```ts
 * expect(audiencesOf(emulator.state).get("vips")?.version).toBe(1);
 * ```
 */
export const audiencesOf = slot("audiences", () => new Map<string, AudienceRecord>());

type AudienceBody = NonNullable<RequestBody<"/audiences/{audience_id}", "put">>;

function putAudience(audiences: Map<string, AudienceRecord>, id: string, body: AudienceBody, now: number) {
  const existing = audiences.get(id);
  const filter = body.filter ?? existing?.filter ?? { filters: [] };
  assertFilters(filter.filters ?? []);
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
  audiences.set(id, audience);
  return audience;
}

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
    const audience = putAudience(audiencesOf(store), params.audience_id ?? "", body, now);
    return { status: 200, body: { audience: view(audience) } };
  }),

  route("get", "/audiences/{audience_id}", ({ params, store }) => {
    const audience = audiencesOf(store).get(params.audience_id ?? "");
    if (!audience) {
      throw notFound();
    }
    return { status: 200, body: view(audience) };
  }),

  route("delete", "/audiences/{audience_id}", ({ params, store }) => {
    if (!audiencesOf(store).delete(params.audience_id ?? "")) {
      throw notFound();
    }
    return { status: 204, body: undefined };
  }),

  route("get", "/audiences", ({ query, store }) => {
    const rows = (function* () {
      for (const audience of audiencesOf(store).values()) {
        yield view(audience);
      }
    })();
    const { items, paging } = pageOf(rows, query.get("cursor"));
    return { status: 200, body: { items, paging } };
  }),

  // Members are evaluated against the current profiles on every call.
  route("get", "/audiences/{audience_id}/members", ({ params, query, store }) => {
    const audience = audiencesOf(store).get(params.audience_id ?? "");
    if (!audience) {
      throw notFound();
    }
    const members = (function* () {
      for (const [userId, record] of profilesOf(store)) {
        if (inAudience(audience, userId, record.profile)) {
          yield {
            member_id: userId,
            audience_id: audience.id,
            audience_version: audience.version,
            added_at: new Date(Math.max(record.updated, Date.parse(audience.updated_at))).toISOString(),
            reason: "FILTER_MATCH",
          };
        }
      }
    })();
    const { items, paging } = pageOf(members, query.get("cursor"));
    return { status: 200, body: { items, paging } };
  }),
];

/** `seed.audiences`: `PUT /audiences/{audience_id}` bodies with their `id`. */
export const audienceSeed = defineSeed("audiences", (store, items, now) => {
  items.forEach((item, i) => {
    if (!isObject(item) || typeof item.id !== "string" || item.id === "") {
      throw seedError(`audiences[${i}].id must be a non-empty string`);
    }
    const { id, ...body } = item;
    const problem = validateBody("put", "/audiences/{audience_id}", body);
    if (problem) {
      throw seedError(`audiences[${i}]: ${problem}`);
    }
    try {
      putAudience(audiencesOf(store), id, body as AudienceBody, now);
    } catch (error) {
      throw seedError(`audiences[${i}]: ${(error as Error).message}`);
    }
  });
});
