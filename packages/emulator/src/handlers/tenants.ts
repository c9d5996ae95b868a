import type { components } from "@courier-ts/core";
import { badRequest, notFound } from "../errors.js";
import { listPage } from "../listing.js";
import { route } from "../router.js";
import { type Json, type Store, slot } from "../store.js";
import { validateBody } from "../validate.js";
import { audit } from "./auditEvents.js";
import type { TenantTemplateRecord } from "./tenantTemplates.js";

type Schemas = components["schemas"];
type Tenant = Schemas["Tenant"];
type TopicPreference = Schemas["SubscriptionTopic"];

interface Membership {
  userId: string;
  tenantId: string;
  profile?: Json | null;
}

/**
 * The tenant group's state: tenants, memberships indexed both ways (so `/tenants/{id}/users` and
 * `/users/{id}/tenants` read the same records), and tenant templates, so deleting a tenant can drop
 * everything that hangs off it.
 */
const tenants = slot("tenants", () => new Map<string, Tenant>());
const byTenant = slot("tenantMembers", () => new Map<string, Map<string, Membership>>());
const byUser = slot("userTenants", () => new Map<string, Map<string, Membership>>());
const templates = slot("tenantTemplates", () => new Map<string, Map<string, TenantTemplateRecord>>());

/** The tenant, or 404. */
export function tenantOf(store: Store, id: string): Tenant {
  const tenant = tenants(store).get(id);
  if (!tenant) {
    throw notFound(`Tenant ${id} not found`);
  }
  return tenant;
}

/** The templates of an existing tenant (404 when the tenant does not exist). */
export function templatesOf(store: Store, tenantId: string): Map<string, TenantTemplateRecord> {
  tenantOf(store, tenantId);
  let map = templates(store).get(tenantId);
  if (!map) {
    map = new Map();
    templates(store).set(tenantId, map);
  }
  return map;
}

/**
 * A tenant's members with their tenant-specific profiles, in the order they joined; none for a tenant that
 * does not exist. For sends addressed to a tenant.
 *
 * @example
 * ```ts
 * for (const { userId, profile } of membersOf(store, "acme")) send(userId, { ...stored, ...profile });
 * ```
 */
export function membersOf(store: Store, tenantId: string): Array<{ userId: string; profile?: Json | null }> {
  return [...(byTenant(store).get(tenantId)?.values() ?? [])].map(({ userId, profile }) => ({ userId, profile }));
}

type TenantBody = Omit<Tenant, "id">;

function build(id: string, body: TenantBody): Tenant {
  // Only the fields the spec knows are kept, so a stored tenant always validates as a `Tenant`.
  const tenant: Tenant = { id, name: body.name };
  if (body.parent_tenant_id) {
    tenant.parent_tenant_id = body.parent_tenant_id;
  }
  if (body.default_preferences) {
    tenant.default_preferences = body.default_preferences;
  }
  for (const key of ["properties", "user_profile"] as const) {
    if (body[key] != null) {
      tenant[key] = body[key];
    }
  }
  if (body.brand_id != null) {
    tenant.brand_id = body.brand_id;
  }
  return tenant;
}

/** A tenant may not be its own ancestor: a cycle would make hierarchy walks loop forever. */
function assertNoCycle(store: Store, id: string, parent: string | null | undefined): void {
  const seen = new Set<string>([id]);
  let at = parent;
  while (at) {
    if (seen.has(at)) {
      throw badRequest(`parent_tenant_id ${parent} would make tenant ${id} its own ancestor`);
    }
    seen.add(at);
    at = tenants(store).get(at)?.parent_tenant_id;
  }
}

function join(store: Store, userId: string, tenantId: string, profile: Json | null | undefined): void {
  const membership: Membership = { userId, tenantId, ...(profile != null ? { profile } : {}) };
  let users = byTenant(store).get(tenantId);
  if (!users) {
    users = new Map();
    byTenant(store).set(tenantId, users);
  }
  users.set(userId, membership);
  let joined = byUser(store).get(userId);
  if (!joined) {
    joined = new Map();
    byUser(store).set(userId, joined);
  }
  joined.set(tenantId, membership);
}

function leave(store: Store, userId: string, tenantId: string): boolean {
  const removed = byTenant(store).get(tenantId)?.delete(userId) ?? false;
  byUser(store).get(userId)?.delete(tenantId);
  if (byTenant(store).get(tenantId)?.size === 0) {
    byTenant(store).delete(tenantId);
  }
  if (byUser(store).get(userId)?.size === 0) {
    byUser(store).delete(userId);
  }
  return removed;
}

function association(m: Membership): Schemas["UserTenantAssociation"] {
  return { user_id: m.userId, type: "user", tenant_id: m.tenantId, ...(m.profile ? { profile: m.profile } : {}) };
}

function topics(tenant: Tenant): TopicPreference[] {
  return tenant.default_preferences?.items ?? [];
}

export const tenantRoutes = [
  route("get", "/tenants", ({ query, store }) => {
    const parent = query.get("parent_tenant_id");
    const rows = [...tenants(store).values()].filter((t) => !parent || t.parent_tenant_id === parent);
    return { status: 200, body: listPage(rows, "/tenants", query) };
  }),

  route("get", "/tenants/{tenant_id}", ({ params, store }) => ({
    status: 200,
    body: tenantOf(store, params.tenant_id ?? ""),
  })),

  // Create or replace: fields left out of the body are cleared; members and templates stay.
  route("put", "/tenants/{tenant_id}", ({ params, body, store, now }) => {
    const id = params.tenant_id ?? "";
    assertNoCycle(store, id, body.parent_tenant_id);
    const existed = tenants(store).has(id);
    const tenant = build(id, body);
    tenants(store).set(id, tenant);
    audit(store, now, existed ? "tenant:updated" : "tenant:created", id);
    return { status: 200, body: tenant };
  }),

  // Members and templates go with the tenant; child tenants keep their parent_tenant_id.
  route("delete", "/tenants/{tenant_id}", ({ params, store, now }) => {
    const id = params.tenant_id ?? "";
    tenantOf(store, id);
    tenants(store).delete(id);
    for (const userId of [...(byTenant(store).get(id)?.keys() ?? [])]) {
      leave(store, userId, id);
    }
    templates(store).delete(id);
    audit(store, now, "tenant:deleted", id);
    return { status: 204, body: undefined };
  }),

  route("put", "/tenants/{tenant_id}/default_preferences/items/{topic_id}", ({ params, body, store, now }) => {
    const tenant = tenantOf(store, params.tenant_id ?? "");
    const id = params.topic_id ?? "";
    const item: TopicPreference = { ...body, id };
    const items = topics(tenant);
    const at = items.findIndex((t) => t.id === id);
    tenant.default_preferences = { items: at === -1 ? [...items, item] : items.map((t, i) => (i === at ? item : t)) };
    audit(store, now, "tenant:default_preferences:updated", tenant.id);
    return { status: 204, body: undefined };
  }),

  route("delete", "/tenants/{tenant_id}/default_preferences/items/{topic_id}", ({ params, store, now }) => {
    const tenant = tenantOf(store, params.tenant_id ?? "");
    const items = topics(tenant);
    const rest = items.filter((t) => t.id !== params.topic_id);
    if (rest.length === items.length) {
      throw notFound(`Tenant ${tenant.id} has no default preference for topic ${params.topic_id}`);
    }
    tenant.default_preferences = { items: rest };
    audit(store, now, "tenant:default_preferences:deleted", tenant.id);
    return { status: 204, body: undefined };
  }),

  route("get", "/tenants/{tenant_id}/users", ({ params, query, store }) => {
    const tenant = tenantOf(store, params.tenant_id ?? "");
    const rows = [...(byTenant(store).get(tenant.id)?.values() ?? [])].map(association);
    return { status: 200, body: listPage(rows, `/tenants/${encodeURIComponent(tenant.id)}/users`, query) };
  }),

  route("get", "/users/{user_id}/tenants", ({ params, query, store }) => {
    const userId = params.user_id ?? "";
    const rows = [...(byUser(store).get(userId)?.values() ?? [])].map(association);
    return { status: 200, body: listPage(rows, `/users/${encodeURIComponent(userId)}/tenants`, query) };
  }),

  // All or nothing: every tenant must exist before any membership is written.
  route("put", "/users/{user_id}/tenants", ({ params, body, store, now }) => {
    const userId = params.user_id ?? "";
    for (const t of body.tenants) {
      tenantOf(store, t.tenant_id);
    }
    for (const t of body.tenants) {
      join(store, userId, t.tenant_id, t.profile);
      audit(store, now, "tenant:user:added", `${t.tenant_id}/${userId}`);
    }
    return { status: 204, body: undefined };
  }),

  route("delete", "/users/{user_id}/tenants", ({ params, store, now }) => {
    const userId = params.user_id ?? "";
    for (const tenantId of [...(byUser(store).get(userId)?.keys() ?? [])]) {
      leave(store, userId, tenantId);
      audit(store, now, "tenant:user:removed", `${tenantId}/${userId}`);
    }
    return { status: 204, body: undefined };
  }),

  route("put", "/users/{user_id}/tenants/{tenant_id}", ({ params, body, store, now }) => {
    const tenant = tenantOf(store, params.tenant_id ?? "");
    const userId = params.user_id ?? "";
    join(store, userId, tenant.id, body.profile);
    audit(store, now, "tenant:user:added", `${tenant.id}/${userId}`);
    return { status: 204, body: undefined };
  }),

  route("delete", "/users/{user_id}/tenants/{tenant_id}", ({ params, store, now }) => {
    const tenantId = params.tenant_id ?? "";
    const userId = params.user_id ?? "";
    if (!leave(store, userId, tenantId)) {
      throw notFound(`User ${userId} is not in tenant ${tenantId}`);
    }
    audit(store, now, "tenant:user:removed", `${tenantId}/${userId}`);
    return { status: 204, body: undefined };
  }),
];

interface TenantSeed extends TenantBody {
  id: string;
  /** Members: user ids, or `{ user_id, profile }`. */
  users?: Array<string | { user_id: string; profile?: Json | null }>;
}

/**
 * Seed hook: inserts tenants with known ids. Each item is a `PUT /tenants/{id}` body plus `id`, and
 * optionally `users` (user ids or `{ user_id, profile }`) to make members.
 *
 * @example
 * ```ts
 * tenantsSeed.load(store, [{ id: "acme", name: "Acme", users: ["u1"] }], Date.now());
 * ```
 */
export const tenantsSeed = {
  key: "tenants" as const,
  load(store: Store, items: unknown[], _now: number): void {
    items.forEach((item, i) => {
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        throw new Error(`tenants[${i}]: must be an object`);
      }
      const { id, users, ...body } = item as TenantSeed;
      const problem = validateBody("put", "/tenants/{tenant_id}", body);
      if (problem || typeof id !== "string" || id === "") {
        throw new Error(`tenants[${i}]: ${problem ?? "id is required"}`);
      }
      if (users !== undefined && !Array.isArray(users)) {
        throw new Error(`tenants[${i}]: users must be an array`);
      }
      tenants(store).set(id, build(id, body));
      for (const user of users ?? []) {
        const userId = typeof user === "string" ? user : user?.user_id;
        if (typeof userId !== "string" || userId === "") {
          throw new Error(`tenants[${i}]: each user is a user id or { user_id, profile }`);
        }
        const profile = typeof user === "object" ? user.profile : undefined;
        join(store, userId, id, profile && typeof profile === "object" ? profile : undefined);
      }
    });
  },
};
