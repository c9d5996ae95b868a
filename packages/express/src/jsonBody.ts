import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import sjson from "secure-json-parse";
import { invalid, unsupportedMediaType } from "./errors.js";

export interface JsonBodyOptions {
  /** Largest body accepted, as bytes or a string such as `"64kb"`. */
  limit: string | number;
  /** Deepest nesting of objects and arrays accepted. */
  maxDepth: number;
}

/**
 * How deep the objects and arrays of a JSON text nest, stopping as soon as it exceeds `max`.
 * Hand-written because no JSON library bounds depth before parsing; it runs before `JSON.parse` so
 * that nothing recursive ever sees a 10,000-deep body. Bytes inside strings are skipped (with their
 * escapes), so `"[[["` does not count.
 */
export function exceedsDepth(text: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === 0x5c) {
        i++; // backslash: skip the escaped byte
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        return true;
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** The same bound for a body some earlier middleware already parsed. Iterative: depth cannot overflow the stack. */
function parsedExceedsDepth(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== "object") {
      continue;
    }
    if (depth > max) {
      return true;
    }
    for (const child of Object.values(node)) {
      stack.push([child, depth + 1]);
    }
  }
  return false;
}

function isJson(req: Request): boolean {
  const type = req.headers["content-type"];
  if (type === undefined) {
    return false;
  }
  // The fast path for what browsers send; anything else goes through type-is.
  return type === "application/json" || type === "application/json; charset=utf-8" || req.is("json") !== false;
}

function charsetIsUtf8(req: Request): boolean {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers["content-type"] ?? "");
  return !match || /^utf-?8$/i.test(match[1] ?? "");
}

function hasBody(req: Request): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/**
 * The proxy's body parser: a JSON object or nothing. A body of another media type is 415, malformed
 * JSON, a `__proto__` / `constructor.prototype` key, a body that is not an object or one nested deeper
 * than `maxDepth` is 400, one over `limit` is 413; all as JSON through the router's error handler.
 * Reading (limit, `content-encoding`, aborted requests) is body-parser's `express.raw`.
 */
export function jsonBody(options: JsonBodyOptions): RequestHandler {
  const read = express.raw({ type: () => true, limit: options.limit });

  function accept(req: Request, body: unknown, next: NextFunction): void {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      next(invalid("The body must be a JSON object"));
      return;
    }
    req.body = body;
    next();
  }

  return (req: Request, res: Response, next: NextFunction) => {
    // Parsed before the proxy (e.g. an app-wide express.json()): hold it to the same rules.
    if (req.readableEnded || (req.body !== undefined && !Buffer.isBuffer(req.body))) {
      const body: unknown = req.body;
      if (body === undefined || (isPlainEmpty(body) && !hasBody(req))) {
        req.body = undefined;
        next();
        return;
      }
      if (parsedExceedsDepth(body, options.maxDepth)) {
        next(invalid(`The body nests deeper than ${options.maxDepth} levels`));
        return;
      }
      try {
        sjson.scan(body as object, { protoAction: "error", constructorAction: "error" });
      } catch {
        next(invalid("The body has a forbidden key (__proto__ or constructor.prototype)"));
        return;
      }
      accept(req, body, next);
      return;
    }
    if (!hasBody(req)) {
      req.body = undefined;
      next();
      return;
    }
    if (!isJson(req) || !charsetIsUtf8(req)) {
      next(unsupportedMediaType("The body must be application/json (UTF-8)"));
      return;
    }
    read(req, res, (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      const raw = req.body as Buffer | undefined;
      if (!Buffer.isBuffer(raw) || raw.length === 0) {
        req.body = undefined;
        next();
        return;
      }
      if (exceedsDepth(raw, options.maxDepth)) {
        next(invalid(`The body nests deeper than ${options.maxDepth} levels`));
        return;
      }
      let body: unknown;
      try {
        body = sjson.parse(raw.toString("utf8"), null, { protoAction: "error", constructorAction: "error" });
      } catch {
        next(invalid("Malformed JSON body"));
        return;
      }
      accept(req, body, next);
    });
  };
}

function isPlainEmpty(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
