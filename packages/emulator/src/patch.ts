/**
 * RFC 6902 JSON Patch on profiles, through fast-json-patch (prototype modifications banned, `test`
 * compared deeply). Paths are also screened here first, so that `__proto__`, `constructor` and
 * `prototype` segments are a clear 400 whatever the library does with them.
 */
import jsonpatch from "fast-json-patch";
import { badRequest } from "./errors.js";
import type { Json } from "./store.js";

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

function screen(pointer: string, field: string): void {
  if (pointer === "") {
    throw badRequest(`A patch cannot ${field === "from" ? "move or copy" : "replace"} the whole profile`);
  }
  if (!pointer.startsWith("/")) {
    throw badRequest(`Invalid JSON Pointer "${pointer}": it must start with "/"`);
  }
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (FORBIDDEN.has(segment)) {
      throw badRequest(`Path "${pointer}" uses the reserved segment "${segment}"`);
    }
  }
}

function describe(error: unknown): string {
  const name = (error as { name?: unknown }).name;
  const messages: Record<string, string> = {
    TEST_OPERATION_FAILED: "Test failed",
    OPERATION_PATH_UNRESOLVABLE: "Path does not exist",
    OPERATION_FROM_UNRESOLVABLE: "`from` path does not exist",
    OPERATION_PATH_ILLEGAL_ARRAY_INDEX: "Invalid array index",
    OPERATION_VALUE_OUT_OF_BOUNDS: "Array index out of bounds",
    OPERATION_OP_INVALID: "Unknown patch op",
    OPERATION_VALUE_REQUIRED: "The operation needs a `value`",
    OPERATION_PATH_CANNOT_ADD: "Cannot add at this path",
    OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: "The value cannot contain undefined",
  };
  return (typeof name === "string" && Object.hasOwn(messages, name) ? messages[name] : undefined) ?? "Invalid patch";
}

/** Applies RFC 6902 operations to a copy of `profile`; all or nothing. Bad patches are a 400. */
export function applyPatch(profile: Json, operations: Operation[]): Json {
  operations.forEach((operation, index) => {
    if (operation.op !== "test") {
      screen(operation.path, "path");
    } else if (operation.path !== "") {
      screen(operation.path, "path");
    }
    if (operation.op === "move" || operation.op === "copy") {
      if (typeof operation.from !== "string") {
        throw badRequest(`patch[${index}]: "${operation.op}" needs "from"`);
      }
      screen(operation.from, "from");
    }
  });
  try {
    // mutateDocument=false clones first, so a failing operation leaves the stored profile untouched.
    const { newDocument } = jsonpatch.applyPatch(
      profile,
      operations as Parameters<typeof jsonpatch.applyPatch>[1],
      true,
      false,
      true,
    ) as unknown as { newDocument: Json };
    return newDocument;
  } catch (error) {
    const index = (error as { index?: unknown }).index;
    const at = typeof index === "number" ? `patch[${index}]: ` : "";
    throw badRequest(`${at}${describe(error)}`);
  }
}
