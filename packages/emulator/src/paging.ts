import { badRequest } from "./errors.js";

/** Default page size of list endpoints. */
export const PAGE_SIZE = 20;

export interface Page<T> {
  items: T[];
  paging: { cursor: string | null; more: boolean };
}

/** Opaque cursors: base64url of `<kind>:<position>`. */
export function encodeCursor(kind: string, position: number): string {
  return Buffer.from(`${kind}:${position}`).toString("base64url");
}

/** The position in a cursor made by `encodeCursor(kind, ...)`; 400 for anything else. */
export function decodeCursor(kind: string, cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const position = text.startsWith(`${kind}:`) ? Number(text.slice(kind.length + 1)) : Number.NaN;
  if (!Number.isSafeInteger(position) || position < 0) {
    throw badRequest("Invalid cursor");
  }
  return position;
}

/** One page of an array: O(page). */
export function page<T>(items: readonly T[], cursor: string | null | undefined, size = PAGE_SIZE): Page<T> {
  const offset = cursor ? decodeCursor("o", cursor) : 0;
  const more = offset + size < items.length;
  return {
    items: items.slice(offset, offset + size),
    paging: { cursor: more ? encodeCursor("o", offset + size) : null, more },
  };
}

/**
 * One page of a lazily produced sequence (a generator that filters and maps as it goes): nothing past
 * the page is produced, and nothing is copied. The rows are small collections (lists, audiences,
 * subscriptions); the large ones (messages, bulk users) have cursors that point into their storage.
 */
export function pageOf<T>(rows: Iterable<T>, cursor: string | null | undefined, size = PAGE_SIZE): Page<T> {
  const offset = cursor ? decodeCursor("o", cursor) : 0;
  const items: T[] = [];
  let index = 0;
  let more = false;
  for (const row of rows) {
    if (index++ < offset) {
      continue;
    }
    if (items.length === size) {
      more = true;
      break;
    }
    items.push(row);
  }
  return { items, paging: { cursor: more ? encodeCursor("o", offset + size) : null, more } };
}
