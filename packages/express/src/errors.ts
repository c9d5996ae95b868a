import { isCourierApiError, isCourierError } from "@courier-ts/core";
import type { NextFunction, Request, Response } from "express";
import { sendJson } from "./respond.js";

/** An error the proxy answers with `{ message, type }`. */
export class ProxyError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

export const unauthorized = () => new ProxyError(401, "Sign in to use Courier", "authentication_error");
export const forbidden = (what: string) => new ProxyError(403, what, "authorization_error");
export const invalid = (what: string) => new ProxyError(400, what, "invalid_request_error");
export const notFound = () => new ProxyError(404, "Not Found", "invalid_request_error");
export const unsupportedMediaType = (what: string) => new ProxyError(415, what, "invalid_request_error");

/** Messages for the errors body-parser and the router raise (by their `type`), and for bare 4xx statuses. */
const BODY_ERRORS: Record<string, [number, string]> = {
  "entity.too.large": [413, "Payload Too Large"],
  "entity.parse.failed": [400, "Malformed JSON body"],
  "entity.verify.failed": [400, "Malformed JSON body"],
  "encoding.unsupported": [415, "Unsupported content encoding"],
  "charset.unsupported": [415, "Unsupported charset"],
  "request.aborted": [400, "Request aborted"],
  "request.size.invalid": [400, "Request size did not match content length"],
  "stream.encoding.set": [500, "Internal error"],
};

/** A status and a message for any error; never the error's own message unless it is ours or Courier's 4xx. */
export function describeError(error: unknown): { status: number; message: string; type: string } {
  if (error instanceof ProxyError) {
    return { status: error.status, message: error.message, type: error.type };
  }
  const { status, statusCode, type } = (error ?? {}) as { status?: unknown; statusCode?: unknown; type?: unknown };
  const known = typeof type === "string" ? BODY_ERRORS[type] : undefined;
  if (known) {
    return { status: known[0], message: known[1], type: known[0] < 500 ? "invalid_request_error" : "api_error" };
  }
  if (isCourierApiError(error) && error.status < 500) {
    return { status: error.status, message: error.message, type: error.type ?? "invalid_request_error" };
  }
  if (isCourierError(error)) {
    return { status: 502, message: "Courier is unavailable", type: "api_error" };
  }
  // Other HTTP errors (e.g. the router's 400 for a malformed %-escape in the path).
  const code = typeof status === "number" ? status : typeof statusCode === "number" ? statusCode : 500;
  if (code >= 400 && code < 500) {
    return { status: code, message: code === 404 ? "Not Found" : "Bad Request", type: "invalid_request_error" };
  }
  return { status: 500, message: "Internal error", type: "api_error" };
}

/**
 * Renders any error as JSON `{ message, type }`. Upstream 4xx keep their status; Courier being down is
 * 502; anything unexpected is a 500 that says nothing more. Never leaks a key or a stack.
 *
 * @example
 * ```ts
 * app.use("/api/courier", courierProxy({ client, getUserId }), jsonErrorHandler);
 * ```
 */
export function jsonErrorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const { status, message, type } = describeError(error);
  sendJson(res, status, { message, type });
}
