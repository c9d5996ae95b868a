import spec from "@courier-ts/core/openapi.json" with { type: "json" };
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";

interface OperationObject {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}

const document = spec as unknown as { paths: Record<string, Record<string, OperationObject>> };
let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction | null>();

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: false, allowUnionTypes: true, validateFormats: true });
    (addFormatsPlugin as unknown as (a: Ajv) => void)(ajv);
    ajv.addSchema(document, "openapi");
  }
  return ajv;
}

/** The compiled request-body validator of an operation (null when it declares no JSON body). */
function validatorFor(method: string, path: string): ValidateFunction | null {
  const key = `${method} ${path}`;
  let fn = cache.get(key);
  if (fn === undefined) {
    const op = document.paths[path]?.[method];
    const schema = op?.requestBody?.content?.["application/json"]?.schema;
    fn = schema
      ? getAjv().compile({
          $ref: `openapi#/paths/${escapePointer(path)}/${method}/requestBody/content/application~1json/schema`,
        })
      : null;
    cache.set(key, fn);
  }
  return fn;
}

/**
 * Whether the operation's body is a string (`PUT /translations/{domain}/{locale}` takes a `.po` file), which
 * SDKs send as plain text rather than as a JSON string.
 */
export function stringBody(method: string, path: string): boolean {
  let schema = document.paths[path]?.[method]?.requestBody?.content?.["application/json"]?.schema as
    | { type?: unknown; $ref?: unknown }
    | undefined;
  if (typeof schema?.$ref === "string") {
    const name = schema.$ref.split("/").pop() ?? "";
    schema = (spec as unknown as { components: { schemas: Record<string, typeof schema> } }).components.schemas[name];
  }
  return schema?.type === "string";
}

/** Whether the operation requires a body. */
export function bodyRequired(method: string, path: string): boolean {
  return document.paths[path]?.[method]?.requestBody?.required === true;
}

function describe(error: ErrorObject): string {
  const field = error.instancePath.split("/").filter(Boolean).join(".");
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return `${field ? `${field}.` : ""}${missing} is required`;
  }
  if (error.keyword === "additionalProperties") {
    return `${field || "body"} has unknown property ${(error.params as { additionalProperty: string }).additionalProperty}`;
  }
  return `${field || "body"} ${error.message ?? "is invalid"}`;
}

/**
 * Validates a request body against the spec's request schema. Returns a message naming the first bad
 * field, or undefined when the body is valid.
 */
export function validateBody(method: string, path: string, body: unknown): string | undefined {
  const fn = validatorFor(method, path);
  if (!fn || fn(body)) {
    return undefined;
  }
  const first = fn.errors?.find((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf") ?? fn.errors?.[0];
  return first ? `Invalid request body: ${describe(first)}` : "Invalid request body";
}
