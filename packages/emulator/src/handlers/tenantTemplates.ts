import type { components } from "@courier-ts/core";
import { badRequest, notFound } from "../errors.js";
import { listPage } from "../listing.js";
import { route } from "../router.js";
import type { Store } from "../store.js";
import { audit } from "./auditEvents.js";
import { templatesOf } from "./tenants.js";

type Schemas = components["schemas"];
type TemplateInput = Schemas["TenantTemplateInput"];

/** Versions kept per template; past it the oldest unpublished version is dropped. */
export const TEMPLATE_VERSION_CAP = 100;

interface TemplateVersion {
  version: string;
  template: TemplateInput;
  created: number;
}

/** A tenant's template: every `PUT` appends a version (`v1`, `v2`, ...); publishing points at one. */
export interface TenantTemplateRecord {
  id: string;
  created: number;
  updated: number;
  versions: TemplateVersion[];
  /** Number of the last version made, so numbers are never reused after the cap drops one. */
  made: number;
  published?: { version: string; at: number };
}

const VERSION = /^v\d+(\.\d+)*$/;

function templateOf(store: Store, tenantId: string, templateId: string): TenantTemplateRecord {
  const template = templatesOf(store, tenantId).get(templateId);
  if (!template) {
    throw notFound(`Template ${templateId} not found in tenant ${tenantId}`);
  }
  return template;
}

/** `latest`, `published` or `v<n>`; anything else is 400, a version that does not exist 404. */
function versionOf(template: TenantTemplateRecord, name: string): TemplateVersion {
  if (name !== "latest" && name !== "published" && !VERSION.test(name)) {
    throw badRequest(`Invalid version ${name}: use latest, published or v<number>`);
  }
  const wanted =
    name === "latest" ? template.versions.at(-1)?.version : name === "published" ? template.published?.version : name;
  const found = template.versions.find((v) => v.version === wanted);
  if (!found) {
    throw notFound(`Version ${name} of template ${template.id} not found`);
  }
  return found;
}

/** Templates without a routing answer the channels they configure, routed to one of them. */
function routingOf(input: TemplateInput): Schemas["MessageRouting"] {
  return input.routing ?? { method: "single", channels: Object.keys(input.channels ?? {}) };
}

function base(template: TenantTemplateRecord, version: TemplateVersion) {
  return {
    id: template.id,
    created_at: new Date(template.created).toISOString(),
    updated_at: new Date(template.updated).toISOString(),
    // A template never published has no publish time.
    published_at: template.published ? new Date(template.published.at).toISOString() : null,
    version: version.version,
  };
}

function latest(template: TenantTemplateRecord): TemplateVersion {
  return template.versions.at(-1) as TemplateVersion;
}

function addVersion(template: TenantTemplateRecord, input: TemplateInput, now: number): TemplateVersion {
  template.made++;
  const version: TemplateVersion = { version: `v${template.made}`, template: input, created: now };
  template.versions.push(version);
  template.updated = now;
  if (template.versions.length > TEMPLATE_VERSION_CAP) {
    const drop = template.versions.findIndex((v) => v.version !== template.published?.version);
    template.versions.splice(drop, 1);
  }
  return version;
}

export const tenantTemplateRoutes = [
  route("get", "/tenants/{tenant_id}/templates", ({ params, query, store }) => {
    const tenantId = params.tenant_id ?? "";
    const rows = [...templatesOf(store, tenantId).values()].map((t) => {
      const version = latest(t);
      return { ...base(t, version), data: { routing: routingOf(version.template) } };
    });
    return { status: 200, body: listPage(rows, `/tenants/${encodeURIComponent(tenantId)}/templates`, query) };
  }),

  route("get", "/tenants/{tenant_id}/templates/{template_id}", ({ params, store }) => {
    const template = templateOf(store, params.tenant_id ?? "", params.template_id ?? "");
    return { status: 200, body: base(template, latest(template)) };
  }),

  // Each PUT is a new version: 201 when it creates the template, 200 when it updates it.
  route("put", "/tenants/{tenant_id}/templates/{template_id}", ({ params, body, store, now }) => {
    const tenantId = params.tenant_id ?? "";
    const id = params.template_id ?? "";
    const all = templatesOf(store, tenantId);
    let template = all.get(id);
    const created = !template;
    if (!template) {
      template = { id, created: now, updated: now, versions: [], made: 0 };
      all.set(id, template);
    }
    const version = addVersion(template, body.template, now);
    if (body.published) {
      template.published = { version: version.version, at: now };
    }
    audit(store, now, created ? "tenant:template:created" : "tenant:template:updated", `${tenantId}/${id}`);
    const reply = {
      id,
      version: version.version,
      published_at: body.published ? new Date(now).toISOString() : null,
    };
    return created ? { status: 201, body: reply } : { status: 200, body: reply };
  }),

  route("delete", "/tenants/{tenant_id}/templates/{template_id}", ({ params, store, now }) => {
    const tenantId = params.tenant_id ?? "";
    const template = templateOf(store, tenantId, params.template_id ?? "");
    templatesOf(store, tenantId).delete(template.id);
    audit(store, now, "tenant:template:deleted", `${tenantId}/${template.id}`);
    return { status: 204, body: undefined };
  }),

  route("post", "/tenants/{tenant_id}/templates/{template_id}/publish", ({ params, body, store, now }) => {
    const tenantId = params.tenant_id ?? "";
    const template = templateOf(store, tenantId, params.template_id ?? "");
    const version = versionOf(template, body?.version ?? "latest");
    template.published = { version: version.version, at: now };
    audit(store, now, "tenant:template:published", `${tenantId}/${template.id}`);
    return {
      status: 200,
      body: { id: template.id, version: version.version, published_at: new Date(now).toISOString() },
    };
  }),

  route("get", "/tenants/{tenant_id}/templates/{template_id}/versions/{version}", ({ params, store }) => {
    const template = templateOf(store, params.tenant_id ?? "", params.template_id ?? "");
    const version = versionOf(template, params.version ?? "");
    return {
      status: 200,
      body: {
        ...base(template, version),
        data: { routing: routingOf(version.template), content: version.template.content },
      },
    };
  }),
];
