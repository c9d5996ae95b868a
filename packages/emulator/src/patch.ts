import { badRequest } from "./errors.js";
import type { Json } from "./store.js";

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === "") {
    return [];
  }
  if (!path.startsWith("/")) {
    throw badRequest(`Invalid JSON Pointer "${path}": it must start with "/"`);
  }
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(doc: unknown, keys: string[]): { parent: Json | unknown[]; key: string } {
  if (keys.length === 0) {
    throw badRequest("A patch cannot replace the whole profile");
  }
  let node = doc;
  for (const key of keys.slice(0, -1)) {
    if (typeof node !== "object" || node === null || !(key in node)) {
      throw badRequest(`Path "/${keys.join("/")}" does not exist`);
    }
    node = (node as Json)[key];
  }
  if (typeof node !== "object" || node === null) {
    throw badRequest(`Path "/${keys.join("/")}" does not exist`);
  }
  return { parent: node as Json, key: keys.at(-1) as string };
}

function get(doc: unknown, keys: string[]): unknown {
  const { parent, key } = parentOf(doc, keys);
  if (!(key in (parent as Json))) {
    throw badRequest(`Path "/${keys.join("/")}" does not exist`);
  }
  return (parent as Json)[key];
}

function remove(doc: unknown, keys: string[]): unknown {
  const { parent, key } = parentOf(doc, keys);
  const value = get(doc, keys);
  if (Array.isArray(parent)) {
    parent.splice(Number(key), 1);
  } else {
    delete parent[key];
  }
  return value;
}

function add(doc: unknown, keys: string[], value: unknown): void {
  const { parent, key } = parentOf(doc, keys);
  if (Array.isArray(parent)) {
    const index = key === "-" ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) {
      throw badRequest(`Invalid array index "${key}"`);
    }
    parent.splice(index, 0, value);
  } else {
    parent[key] = value;
  }
}

/** Applies RFC 6902 operations to a copy of `profile`; all or nothing. */
export function applyPatch(profile: Json, operations: Operation[]): Json {
  const doc = structuredClone(profile);
  for (const operation of operations) {
    const keys = pointer(operation.path);
    switch (operation.op) {
      case "add":
        add(doc, keys, structuredClone(operation.value));
        break;
      case "remove":
        remove(doc, keys);
        break;
      case "replace":
        get(doc, keys);
        remove(doc, keys);
        add(doc, keys, structuredClone(operation.value));
        break;
      case "move":
      case "copy": {
        if (operation.from === undefined) {
          throw badRequest(`"${operation.op}" needs "from"`);
        }
        const from = pointer(operation.from);
        const value = operation.op === "move" ? remove(doc, from) : structuredClone(get(doc, from));
        add(doc, keys, value);
        break;
      }
      case "test":
        if (JSON.stringify(get(doc, keys)) !== JSON.stringify(operation.value)) {
          throw badRequest(`Test failed at "${operation.path}"`);
        }
        break;
      default:
        throw badRequest(`Unknown patch op "${operation.op}"`);
    }
  }
  return doc;
}
