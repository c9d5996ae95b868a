import { InvalidRequestError } from "@courier-ts/core";
import { messages } from "./messages.js";

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

function queryValue(value: unknown): string {
  return encodeURIComponent(value instanceof Date ? value.toISOString() : String(value));
}

/**
 * Serializes query parameters the way the spec declares them (OpenAPI's defaults): `style: form,
 * explode: true` for arrays (`status=A&status=B`) and `deepObject` for objects (`filter[name]=x`).
 * `undefined` and `null` are left out; dates are sent as ISO 8601 (openapi-fetch's own serializer sends
 * `String(date)`).
 */
export function courierQuerySerializer(query: Record<string, unknown>): string {
  let out = "";
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) {
      continue;
    }
    const name = encodeURIComponent(key);
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item !== undefined && item !== null) {
          out += `&${name}=${queryValue(item)}`;
        }
      }
    } else if (typeof value === "object" && !(value instanceof Date)) {
      for (const field in value) {
        const item = (value as Record<string, unknown>)[field];
        if (item !== undefined && item !== null) {
          out += `&${name}[${encodeURIComponent(field)}]=${queryValue(item)}`;
        }
      }
    } else {
      out += `&${name}=${queryValue(value)}`;
    }
  }
  return out.slice(1);
}
