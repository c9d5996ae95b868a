/**
 * Loads the upstream Courier OpenAPI document and applies the project's overlay.
 *
 * The overlay (`spec/overlay.yml`) is a JSON Merge Patch (RFC 7396) written in YAML:
 * objects merge key by key, `null` deletes a key, and arrays or scalars replace what is there.
 * Keeping our fixes in a separate file lets `spec/courier.openapi.yml` be refreshed from upstream
 * without losing them.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const UPSTREAM_PATH = `${ROOT}spec/courier.openapi.yml`;
export const OVERLAY_PATH = `${ROOT}spec/overlay.yml`;
export const MERGED_PATH = `${ROOT}spec/generated/courier.merged.yml`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** RFC 7396 merge: returns a new value, never mutates `target`. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) {
    return patch;
  }
  const result: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

/**
 * OAS 3.0 says every sibling of `$ref` is ignored, yet upstream puts `nullable: true` beside 73 refs.
 * openapi-typescript already ignores them, but Prism's Ajv fails to compile any schema that holds one
 * and then silently skips validation (that is why `POST /send` accepted any body). Dropping the
 * ignored keyword keeps the document's meaning and makes validation live.
 */
export function dropNullableRefSiblings(node: Json): Json {
  if (Array.isArray(node)) {
    return node.map(dropNullableRefSiblings);
  }
  if (!isObject(node)) {
    return node;
  }
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable" && "$ref" in node) {
      continue;
    }
    out[key] = dropNullableRefSiblings(value);
  }
  return out;
}

/**
 * Upstream writes a nullable reference as `{ allOf: [$ref], nullable: true, type }`. Under OpenAPI 3.0.3
 * (and in every JSON Schema validator, Prism's included) `nullable` cannot widen what `allOf` forbids,
 * so `null` is rejected although Courier sends it and the official SDK types it. Such a schema becomes
 * `anyOf: [<the schema without nullable>, { enum: [null] }]`: the same generated type (`X | null`), and
 * validators accept `null`.
 */
export function nullableCompositions(node: Json): Json {
  if (Array.isArray(node)) {
    return node.map(nullableCompositions);
  }
  if (!isObject(node)) {
    return node;
  }
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = nullableCompositions(value);
  }
  if (out.nullable === true && ("allOf" in out || "oneOf" in out || "anyOf" in out)) {
    const { nullable: _nullable, description, ...schema } = out;
    return { ...(description === undefined ? {} : { description }), anyOf: [schema, { enum: [null] }] };
  }
  return out;
}

const METHODS = new Set(["get", "put", "post", "patch", "delete", "head", "options"]);

/**
 * Every Courier error has the body `{ message, type }`, whatever the operation, but
 * upstream declares error responses for only some operations. An operation without a `default`
 * response gets one, so validators accept the API's real 4xx/5xx answers and openapi-fetch types
 * `error` for every call.
 */
export function addDefaultErrorResponses(spec: { [key: string]: Json }): void {
  const paths = spec.paths;
  if (!isObject(paths)) {
    return;
  }
  for (const item of Object.values(paths)) {
    if (!isObject(item)) {
      continue;
    }
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method) || !isObject(operation) || !isObject(operation.responses)) {
        continue;
      }
      if (!("default" in operation.responses)) {
        operation.responses.default = {
          description:
            "Error: `{ message, type }`, e.g. 400/404/409 `invalid_request_error`, 401 `authentication_error`.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/CourierError" } } },
        };
      }
    }
  }
}

/** The upstream document, normalised, with the overlay applied. */
export function loadMergedSpec(): Record<string, unknown> {
  const upstream = dropNullableRefSiblings(YAML.parse(readFileSync(UPSTREAM_PATH, "utf8")) as Json);
  const overlay = YAML.parse(readFileSync(OVERLAY_PATH, "utf8")) as Json;
  const merged = nullableCompositions(mergePatch(upstream, overlay));
  if (!isObject(merged)) {
    throw new Error("merged spec is not an object");
  }
  addDefaultErrorResponses(merged);
  return merged;
}
