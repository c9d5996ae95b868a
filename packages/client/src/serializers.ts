import { InvalidRequestError } from "@courier-ts/core";
import { invalidPathParam } from "./messages.js";

const PARAM = /\{([^{}]+)\}/g;

/**
 * Fills `{name}` path parameters, always as exactly one URL segment (openapi-fetch's `pathSerializer`).
 *
 * `encodeURIComponent` turns `/`, `?` and `#` into escapes, so `a/../b` stays one segment. A value
 * that is empty, `.` or `..` cannot be one segment at all (URL parsers collapse dot segments, even
 * when written `%2E%2E`), so the request is refused before it is sent.
 */
export function courierPathSerializer(url: string, pathParams: Record<string, unknown> = {}): string {
  return url.replace(PARAM, (_match, name: string) => {
    const value = pathParams[name];
    const text = value == null ? "" : String(value);
    if (text === "" || text === "." || text === "..") {
      throw new InvalidRequestError(invalidPathParam(name));
    }
    return encodeURIComponent(text);
  });
}
