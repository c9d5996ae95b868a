import { badRequest } from "./errors.js";

const PART = /^[A-Za-z0-9_\-:@+]+$/;

/**
 * List ids are dot-separated, up to 4 parts, no empty parts, spaces, `*` or `#`, as Courier documents
 * them. Throws a 400 for an invalid id.
 */
export function assertListId(id: string): void {
  const parts = id.split(".");
  if (parts.length > 4 || parts.some((p) => !PART.test(p))) {
    throw badRequest(`Invalid list id "${id}": use up to 4 dot-separated parts without spaces, '*' or '#'`);
  }
}

/**
 * Compiles a list pattern: `*` is exactly one whole part; `**` must be last and means "one or more
 * further parts" (so `a.**` matches `a.b` and `a.b.c`, not `a`). Up to 3 of 4 parts may be wildcards.
 */
export function compilePattern(pattern: string): (listId: string) => boolean {
  const parts = pattern.split(".");
  const invalid = () => badRequest(`Invalid list pattern "${pattern}"`);
  if (parts.length > 4 || parts.some((p) => p === "")) {
    throw invalid();
  }
  const wildcards = parts.filter((p) => p === "*" || p === "**").length;
  if (wildcards === parts.length || wildcards > 3) {
    throw invalid();
  }
  parts.forEach((p, i) => {
    if (p === "**" && i !== parts.length - 1) {
      throw invalid();
    }
    if (p !== "*" && p !== "**" && !PART.test(p)) {
      throw invalid();
    }
  });
  if (parts.at(-1) === "**" && parts.at(-2) === "*") {
    throw invalid();
  }
  const open = parts.at(-1) === "**";
  const fixed = open ? parts.slice(0, -1) : parts;
  return (listId) => {
    const ids = listId.split(".");
    if (open ? ids.length <= fixed.length : ids.length !== fixed.length) {
      return false;
    }
    return fixed.every((p, i) => p === "*" || p === ids[i]);
  };
}
