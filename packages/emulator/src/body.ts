/** Reading and parsing request bodies within the emulator's limits. */
import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.js";

/**
 * Deepest nesting of objects and arrays accepted in a JSON body by default (the `maxDepth` option).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ maxDepth: DEFAULT_MAX_DEPTH * 2 });
 * ```
 */
export const DEFAULT_MAX_DEPTH = 64;

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    throw new HttpError(413, "Payload Too Large");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new HttpError(413, "Payload Too Large");
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * How deep the JSON text nests, scanning bytes (strings skipped). Hand-written because no parser offers
 * a depth limit, and it has to run before `JSON.parse` builds a structure that every later clone,
 * comparison and `JSON.stringify` of the stored record would walk recursively.
 */
export function nestingExceeds(raw: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c) {
        i++; // skip the escaped byte
      } else if (byte === 0x22) {
        inString = false;
      }
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > maxDepth) {
        return true;
      }
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Parses a JSON body: 400 when it is malformed or nests deeper than `maxDepth`. */
export function parseJson(raw: Buffer, maxDepth: number): unknown {
  if (nestingExceeds(raw, maxDepth)) {
    throw new HttpError(400, `The JSON body nests deeper than ${maxDepth} levels`);
  }
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new HttpError(400, "Malformed JSON body");
  }
}

/**
 * Parses the body of an operation whose body is a string: a JSON string is read as JSON, anything else
 * (a `.po` file sent as `text/plain`, or as it is under a JSON content type) is taken as UTF-8 text. The
 * size limit has already applied; text has no nesting to limit.
 */
export function parseText(raw: Buffer, contentType: string | undefined, maxDepth: number): unknown {
  const text = raw.toString("utf8");
  if (contentType !== undefined && !/\bjson\b/i.test(contentType)) {
    return text;
  }
  if (nestingExceeds(raw, maxDepth)) {
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
