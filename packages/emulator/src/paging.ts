import { badRequest } from "./errors.js";

/** Default page size of list endpoints. */
export const PAGE_SIZE = 20;

/** Opaque cursors: base64url of the next offset. */
export function page<T>(items: T[], cursor: string | null | undefined, size = PAGE_SIZE) {
  let offset = 0;
  if (cursor) {
    const decoded = Number(Buffer.from(cursor, "base64url").toString("utf8").replace(/^o:/, ""));
    if (!Number.isInteger(decoded) || decoded < 0 || !Buffer.from(cursor, "base64url").toString().startsWith("o:")) {
      throw badRequest("Invalid cursor");
    }
    offset = decoded;
  }
  const slice = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  return {
    items: slice,
    paging: { cursor: more ? Buffer.from(`o:${offset + size}`).toString("base64url") : null, more },
  };
}
