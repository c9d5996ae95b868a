import type { components } from "@courier-ts/core";
import { conflict, notFound } from "../errors.js";
import { page } from "../paging.js";
import { route } from "../router.js";
import { type Store, slot } from "../store.js";
import { validateBody } from "../validate.js";
import { audit } from "./auditEvents.js";

type Brand = components["schemas"]["Brand"];

interface BrandRecord {
  id: string;
  name: string;
  settings?: Brand["settings"];
  snippets?: Brand["snippets"];
  created: number;
  updated: number;
  published: number;
  /** Bumped on every replace: `v1`, `v2`, ... */
  revision: number;
}

const brands = slot("brands", () => new Map<string, BrandRecord>());

function view(b: BrandRecord): Brand {
  return {
    id: b.id,
    name: b.name,
    created: b.created,
    updated: b.updated,
    published: b.published,
    version: `v${b.revision}`,
    ...(b.settings ? { settings: b.settings } : {}),
    ...(b.snippets ? { snippets: b.snippets } : {}),
  };
}

function existing(store: Store, id: string): BrandRecord {
  const brand = brands(store).get(id);
  if (!brand) {
    throw notFound();
  }
  return brand;
}

function insert(
  store: Store,
  id: string,
  fields: Pick<BrandRecord, "name" | "settings" | "snippets">,
  now: number,
): BrandRecord {
  const record: BrandRecord = { id, ...fields, created: now, updated: now, published: now, revision: 1 };
  brands(store).set(id, record);
  return record;
}

export const brandRoutes = [
  route("get", "/brands", ({ query, store }) => {
    const { items, paging } = page([...brands(store).values()].map(view), query.get("cursor"));
    return { status: 200, body: { results: items, paging } };
  }),

  // A brand created through the API is published at once; a caller-chosen id that exists is 409.
  route("post", "/brands", ({ body, store, now }) => {
    const id = body.id || store.nextId(now);
    if (brands(store).has(id)) {
      throw conflict("Already Exists");
    }
    const record = insert(store, id, { name: body.name, settings: body.settings, snippets: body.snippets }, now);
    audit(store, now, "brand:created", id);
    return { status: 200, body: view(record) };
  }),

  route("get", "/brands/{brand_id}", ({ params, store }) => ({
    status: 200,
    body: view(existing(store, params.brand_id ?? "")),
  })),

  // Replace: settings and snippets left out of the body are cleared.
  route("put", "/brands/{brand_id}", ({ params, body, store, now }) => {
    const brand = existing(store, params.brand_id ?? "");
    brand.name = body.name;
    brand.settings = body.settings;
    brand.snippets = body.snippets;
    brand.updated = now;
    brand.published = now;
    brand.revision++;
    audit(store, now, "brand:updated", brand.id);
    return { status: 200, body: view(brand) };
  }),

  route("delete", "/brands/{brand_id}", ({ params, store, now }) => {
    const id = params.brand_id ?? "";
    existing(store, id);
    brands(store).delete(id);
    audit(store, now, "brand:deleted", id);
    return { status: 204, body: undefined };
  }),
];

/**
 * Seed hook: inserts brands with known ids. Each item is a `POST /brands` body whose `id` is required.
 *
 * @example
 * ```ts
 * brandsSeed.load(store, [{ id: "acme", name: "Acme" }], Date.now());
 * ```
 */
export const brandsSeed = {
  key: "brands" as const,
  load(store: Store, items: unknown[], now: number): void {
    items.forEach((item, i) => {
      const problem = validateBody("post", "/brands", item);
      const brand = item as components["schemas"]["BrandParameters"];
      if (problem || typeof brand.id !== "string" || brand.id === "") {
        throw new Error(`brands[${i}]: ${problem ?? "id is required"}`);
      }
      insert(store, brand.id, { name: brand.name, settings: brand.settings, snippets: brand.snippets }, now);
    });
  },
};
