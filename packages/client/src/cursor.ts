/**
 * Courier pages its lists three ways:
 * - `{ paging: { cursor, more }, results | items }` (messages, lists, audiences, bulk users, ...),
 * - `{ items, has_more, cursor }` (tenants),
 * - `{ runs | templates, next_cursor | cursor }` (automations).
 * `nextCursor` reads whichever the body has.
 */
export function nextCursor(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) {
    return undefined;
  }
  const b = body as Record<string, unknown>;
  const paging = b.paging as { cursor?: unknown; more?: unknown } | undefined;
  if (paging && typeof paging === "object") {
    return paging.more === true && typeof paging.cursor === "string" && paging.cursor !== ""
      ? paging.cursor
      : undefined;
  }
  if ("has_more" in b) {
    return b.has_more === true && typeof b.cursor === "string" && b.cursor !== "" ? b.cursor : undefined;
  }
  const next = b.next_cursor ?? b.cursor;
  return typeof next === "string" && next !== "" ? next : undefined;
}

/** The array of results in a page, whatever Courier named it. */
export function pageItems<T = unknown>(body: unknown): T[] {
  if (typeof body !== "object" || body === null) {
    return [];
  }
  const b = body as Record<string, unknown>;
  for (const key of ["results", "items", "runs", "templates", "messages"]) {
    if (Array.isArray(b[key])) {
      return b[key] as T[];
    }
  }
  return [];
}
