/**
 * Provider integrations (`/providers`) and the catalog of provider types they are configured from.
 * A configuration must name a catalog provider and carry the settings the catalog marks required.
 */
import type { components } from "@courier-ts/core";
import { badRequest, notFound } from "../errors.js";
import { page } from "../paging.js";
import { route } from "../router.js";
import { slot } from "../store.js";

type CatalogEntry = components["schemas"]["ProvidersCatalogEntry"];
type Provider = components["schemas"]["Provider"];

const secret = { required: true, type: "string" };
const optional = { required: false, type: "string" };

function entry(provider: string, channel: string, name: string, settings: CatalogEntry["settings"]): CatalogEntry {
  return { provider, channel, name, description: `Send ${channel} through ${name}.`, settings };
}

/** The provider types the emulator accepts (a representative subset of Courier's catalog). */
export const CATALOG: readonly CatalogEntry[] = [
  entry("sendgrid", "email", "SendGrid", { api_key: secret, from_address: secret }),
  entry("mailgun", "email", "Mailgun", { api_key: secret, domain: secret, from_address: secret }),
  entry("postmark", "email", "Postmark", { api_key: secret, from_address: secret }),
  entry("aws-ses", "email", "Amazon SES", {
    access_key_id: secret,
    secret_access_key: secret,
    from_address: secret,
    region: optional,
  }),
  entry("smtp", "email", "SMTP", { host: secret, username: optional, password: optional, from_address: secret }),
  entry("twilio", "sms", "Twilio", { account_sid: secret, auth_token: secret, messaging_service_sid: optional }),
  entry("vonage", "sms", "Vonage", { api_key: secret, api_secret: secret, from_number: secret }),
  entry("sns", "sms", "Amazon SNS", { access_key_id: secret, secret_access_key: secret, region: optional }),
  entry("apn", "push", "Apple Push Notification Service", { key_id: secret, team_id: secret, private_key: secret }),
  entry("firebase-fcm", "push", "Firebase Cloud Messaging", { service_account: secret }),
  entry("expo", "push", "Expo", { access_token: optional }),
  entry("slack", "direct_message", "Slack", { access_token: optional }),
  entry("msteams", "direct_message", "Microsoft Teams", { app_id: secret, app_password: secret }),
  entry("courier", "inbox", "Courier Inbox", {}),
];

const catalogByKey = new Map(CATALOG.map((e) => [e.provider, e]));
const providers = slot("providers", () => new Map<string, Provider>());

/** The catalog entry for a provider key, after checking the settings it requires (400 otherwise). */
function checkConfiguration(key: string, settings: Record<string, unknown>): CatalogEntry {
  const known = catalogByKey.get(key);
  if (!known) {
    throw badRequest(`Unknown provider "${key}"; GET /providers/catalog lists the supported keys`);
  }
  for (const [field, spec] of Object.entries(known.settings)) {
    const value = settings[field];
    if (spec.required && (value === undefined || value === null || value === "")) {
      throw badRequest(`settings.${field} is required for provider "${key}"`);
    }
    if (value !== undefined && spec.type === "string" && typeof value !== "string") {
      throw badRequest(`settings.${field} must be a string`);
    }
  }
  return known;
}

function configured(
  id: string,
  body: { provider: string; alias?: string; title?: string; settings?: Record<string, unknown> },
  created: number,
  updated: number | null,
): Provider {
  const settings = body.settings ?? {};
  checkConfiguration(body.provider, settings);
  return {
    id,
    provider: body.provider,
    title: body.title ?? "Default Configuration",
    ...(body.alias === undefined ? {} : { alias: body.alias }),
    settings,
    created,
    updated,
  };
}

function find(state: Map<string, Provider>, id: string): Provider {
  const found = state.get(id);
  if (!found) {
    throw notFound(`Provider "${id}" not found`);
  }
  return found;
}

export const providerRoutes = [
  route("get", "/providers/catalog", ({ query }) => {
    const channel = query.get("channel")?.toLowerCase();
    const keys = query
      .get("keys")
      ?.split(",")
      .map((k) => k.trim())
      .filter(Boolean);
    const name = query.get("name")?.toLowerCase();
    const results = CATALOG.filter(
      (e) =>
        (!channel || e.channel.toLowerCase() === channel) &&
        (!keys || keys.includes(e.provider)) &&
        (!name || e.name.toLowerCase().includes(name)),
    );
    return { status: 200, body: { results, paging: { cursor: null, more: false } } };
  }),

  route("get", "/providers", ({ query, store }) => {
    const { items, paging } = page([...providers(store).values()], query.get("cursor"));
    return { status: 200, body: { results: items, paging } };
  }),

  route("post", "/providers", ({ body, store, now }) => {
    const state = providers(store);
    if (body.alias !== undefined && [...state.values()].some((p) => p.alias === body.alias)) {
      throw badRequest(`A provider with alias "${body.alias}" already exists`);
    }
    const provider = configured(store.nextId(now), body, now, null);
    state.set(provider.id, provider);
    return { status: 200, body: provider };
  }),

  route("get", "/providers/{id}", ({ params, store }) => {
    return { status: 200, body: find(providers(store), params.id ?? "") };
  }),

  // A full replace: fields left out (alias, title, settings) are cleared, not merged.
  route("put", "/providers/{id}", ({ params, body, store, now }) => {
    const state = providers(store);
    const existing = find(state, params.id ?? "");
    if (body.provider !== existing.provider) {
      throw badRequest(`A configuration's provider cannot change (it is "${existing.provider}")`);
    }
    if (body.alias !== undefined && [...state.values()].some((p) => p.alias === body.alias && p.id !== existing.id)) {
      throw badRequest(`A provider with alias "${body.alias}" already exists`);
    }
    const provider = configured(existing.id, body, existing.created, now);
    state.set(provider.id, provider);
    return { status: 200, body: provider };
  }),

  route("delete", "/providers/{id}", ({ params, store }) => {
    const state = providers(store);
    find(state, params.id ?? "");
    state.delete(params.id ?? "");
    return { status: 204, body: undefined };
  }),
];
