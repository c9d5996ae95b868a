import type { paths } from "@courier-ts/core";
import type { CourierClient } from "./client.js";
import { nextCursor, pageItems } from "./cursor.js";
import { unwrap } from "./unwrap.js";

type GetPaths = {
  [P in keyof paths]: paths[P] extends { get: { parameters: { query?: infer Q } } }
    ? NonNullable<Q> extends { cursor?: unknown }
      ? P
      : never
    : never;
}[keyof paths];

/** Every GET operation that takes a `cursor`: the paginated lists. */
export type PaginatedPath = GetPaths;

type OkBody<P extends PaginatedPath> = paths[P]["get"] extends {
  responses: { 200: { content: { "application/json": infer B } } };
}
  ? B
  : never;

type ItemsOf<B> = B extends { results: (infer T)[] | null | undefined }
  ? T
  : B extends { items: (infer T)[] | null | undefined }
    ? T
    : B extends { runs: (infer T)[] | null | undefined }
      ? T
      : B extends { templates: (infer T)[] | null | undefined }
        ? T
        : unknown;

/** One page's item type for a paginated path. */
export type PageItem<P extends PaginatedPath> = ItemsOf<OkBody<P>>;

type Params<P extends PaginatedPath> = paths[P]["get"]["parameters"];

/**
 * Options of {@link paginatePages} and {@link paginate}: the list call's parameters, a page limit and a signal.
 * The cursor is filled in by the iterator; any other query parameter stays the same on every page.
 *
 * @example
 * ```ts
 * const options: PaginateOptions<"/lists"> = { params: { query: { pattern: "teams.**" } }, maxPages: 10 };
 * for await (const list of paginate(courier, "/lists", options)) console.log(list.id);
 * ```
 */
export interface PaginateOptions<P extends PaginatedPath> {
  /** The path and query parameters of the list call, as for `courier.GET(path, { params })`. */
  params?: Omit<Params<P>, "cookie"> extends infer X ? { [K in keyof X]?: X[K] } : never;
  /** Stop after this many pages. Default: no limit. */
  maxPages?: number;
  /** Aborts the page request in flight; the loop then throws the abort error. */
  signal?: AbortSignal;
}

/**
 * Iterates over every page of a cursor-paginated list, following `paging.cursor` while
 * `paging.more` (and the tenant and automation cursor styles).
 *
 * @example
 * ```ts
 * for await (const page of paginatePages(courier, "/lists", { params: { query: { pattern: "teams.**" } } })) {
 *   console.log(page.items.length);
 * }
 * ```
 */
export async function* paginatePages<P extends PaginatedPath>(
  client: CourierClient,
  path: P,
  options: PaginateOptions<P> = {},
): AsyncGenerator<OkBody<P>, void, undefined> {
  const params = (options.params ?? {}) as { query?: Record<string, unknown>; path?: Record<string, unknown> };
  let cursor = params.query?.cursor as string | undefined;
  for (let page = 0; options.maxPages === undefined || page < options.maxPages; page++) {
    const query = { ...params.query, ...(cursor ? { cursor } : {}) };
    const get = client.GET as unknown as (
      path: string,
      init: object,
    ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    const data = await unwrap(get(path, { params: { ...params, query }, signal: options.signal }));
    yield data as OkBody<P>;
    const next = nextCursor(data);
    if (!next || next === cursor) {
      return;
    }
    cursor = next;
  }
}

/**
 * Iterates over every item of a cursor-paginated list, across pages.
 *
 * @example
 * ```ts
 * for await (const list of paginate(courier, "/lists", { params: { query: { pattern: "teams.*" } } })) {
 *   console.log(list.id);
 * }
 * ```
 */
export async function* paginate<P extends PaginatedPath>(
  client: CourierClient,
  path: P,
  options: PaginateOptions<P> = {},
): AsyncGenerator<PageItem<P>, void, undefined> {
  for await (const page of paginatePages(client, path, options)) {
    yield* pageItems<PageItem<P>>(page);
  }
}
