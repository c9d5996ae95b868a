/**
 * Helpers shared by the resource modules' list endpoints: the `limit` query parameter and the
 * tenant-style page (`{ items, has_more, cursor, next_url, url, type: "list" }`) that `/tenants`,
 * `/tenants/{id}/users`, `/tenants/{id}/templates` and `/users/{id}/tenants` answer with.
 */
import { badRequest } from "./errors.js";
import { PAGE_SIZE, page } from "./paging.js";

/**
 * `?limit=`: absent means `fallback`; otherwise an integer from 1, else 400. Above `max` is a 400 too, or
 * with `over: "clamp"` is read as `max` (the broadcast and digest listings).
 */
export function limitOf(
  query: URLSearchParams,
  max = 100,
  fallback = PAGE_SIZE,
  over: "refuse" | "clamp" = "refuse",
): number {
  const raw = query.get("limit");
  if (raw === null || raw === "") {
    return fallback;
  }
  const n = Number(raw);
  if (over === "clamp" && Number.isInteger(n) && n > max) {
    return max;
  }
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw badRequest(
      over === "clamp" ? "limit must be a positive integer" : `limit must be an integer from 1 to ${max}`,
    );
  }
  return n;
}

/**
 * One tenant-style page of `items`. `url` is the request path; `next_url` repeats it with the next
 * cursor (and the caller's other query parameters) while there are more.
 */
export function listPage<T>(items: T[], path: string, query: URLSearchParams) {
  const size = limitOf(query);
  const { items: slice, paging } = page(items, query.get("cursor"), size);
  const next = new URLSearchParams(query);
  if (paging.cursor) {
    next.set("cursor", paging.cursor);
  }
  return {
    items: slice,
    has_more: paging.more,
    cursor: paging.cursor,
    next_url: paging.cursor ? `${path}?${next.toString()}` : null,
    url: path,
    type: "list" as const,
  };
}
