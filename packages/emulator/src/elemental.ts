/**
 * Elemental content as broadcasts and journey templates store it: the draft's elements, each with an
 * `id` and an MD5 `checksum` of its own content (Courier's content endpoints answer both), plus
 * per-locale overrides keyed by element id.
 */
import { createHash } from "node:crypto";
import { badRequest } from "./errors.js";
import type { Json } from "./store.js";

/** The Elemental version a payload defaults to when it names none. */
export const ELEMENTAL_VERSION = "2022-01-01";

export interface StoredContent {
  version: string;
  elements: Json[];
  /** locale → element id → the override fields. */
  locales: Map<string, Map<string, Json>>;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checksum(value: unknown): string {
  return createHash("md5").update(JSON.stringify(value)).digest("hex");
}

/** The element without its children and locales: what its checksum covers. */
function ownContent(element: Json): Json {
  const { elements: _children, locales: _locales, ...own } = element;
  return own;
}

/** Gives every element (nested ones too) an id, `<type>-<n>` in document order when it has none. */
function withIds(elements: unknown[], counter = { n: 0 }): Json[] {
  return elements.filter(isObject).map((element) => {
    counter.n++;
    const id =
      typeof element.id === "string" && element.id !== "" ? element.id : `${element.type ?? "element"}-${counter.n}`;
    const children = Array.isArray(element.elements) ? { elements: withIds(element.elements, counter) } : {};
    return { ...element, id, ...children };
  });
}

/** New content from a request's `{ elements, version? }`. */
export function newContent(input: { elements?: unknown[]; version?: string | null } = {}): StoredContent {
  return {
    version: input.version ?? ELEMENTAL_VERSION,
    elements: withIds(input.elements ?? []),
    locales: new Map(),
  };
}

/** A deep copy, so a published version never changes with the draft. */
export function copyContent(content: StoredContent): StoredContent {
  return {
    version: content.version,
    elements: structuredClone(content.elements),
    locales: new Map([...content.locales].map(([locale, byId]) => [locale, new Map(structuredClone([...byId]))])),
  };
}

function ids(elements: Json[], out = new Set<string>()): Set<string> {
  for (const element of elements) {
    out.add(String(element.id));
    if (Array.isArray(element.elements)) {
      ids(element.elements as Json[], out);
    }
  }
  return out;
}

/** Sets a locale's overrides; every override must name an existing element (400 otherwise). */
export function putLocale(content: StoredContent, locale: string, overrides: Array<{ id: string } & Json>): void {
  const known = ids(content.elements);
  const missing = overrides.find((o) => !known.has(o.id));
  if (missing) {
    throw badRequest(`Element "${missing.id}" does not exist in the template's content`);
  }
  const byId = new Map<string, Json>();
  for (const { id, ...fields } of overrides) {
    byId.set(id, fields);
  }
  content.locales.set(locale, byId);
}

type WithChecksums = Json & { checksum: string; type: string };

function checksummed(elements: Json[], content: StoredContent): WithChecksums[] {
  return elements.map((element) => {
    const id = String(element.id);
    const locales: Record<string, { checksum: string }> = {};
    for (const [locale, byId] of content.locales) {
      const override = byId.get(id);
      if (override) {
        locales[locale] = { checksum: checksum(override) };
      }
    }
    return {
      ...ownContent(element),
      id,
      type: typeof element.type === "string" ? element.type : "text",
      checksum: checksum(ownContent(element)),
      ...(Array.isArray(element.elements) ? { elements: checksummed(element.elements as Json[], content) } : {}),
      ...(Object.keys(locales).length > 0 ? { locales } : {}),
    };
  });
}

/** The body of `GET .../content`: the elements with their checksums. */
export function contentView(content: StoredContent) {
  return { version: content.version, elements: checksummed(content.elements, content) };
}

/** The body of a content `PUT`: the top-level elements' ids and checksums. */
export function mutationView(id: string, content: StoredContent, state: "DRAFT" | "PUBLISHED") {
  return {
    id,
    version: content.version,
    state,
    elements: content.elements.map((e) => ({ id: String(e.id), checksum: checksum(ownContent(e)) })),
  };
}
