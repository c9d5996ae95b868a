import { InvalidRequestError, messages } from "@courier-ts/core";

const PARAM = /\{([^{}]+)\}/g;

/**
 * Fills `{name}` path parameters, always as exactly one URL segment.
 *
 * `encodeURIComponent` turns `/`, `?` and `#` into escapes, so `a/../b` stays one segment. A value
 * that is empty, `.` or `..` cannot be one segment at all (URL parsers collapse dot segments, even
 * when written `%2E%2E`), so the request is refused before it is sent.
 */
export function courierPathSerializer(pathname: string, pathParams: Record<string, unknown>): string {
  return pathname.replace(PARAM, (_match, name: string) => {
    const value = pathParams[name];
    if (value === undefined || value === null) {
      throw new InvalidRequestError(messages.invalidPathParam(name, "is missing"));
    }
    const text = String(value);
    if (text === "" || text === "." || text === "..") {
      throw new InvalidRequestError(
        messages.invalidPathParam(
          name,
          `cannot be ${text === "" ? "empty" : `"${text}"`}: it would not address one resource`,
        ),
      );
    }
    return encodeURIComponent(text);
  });
}
