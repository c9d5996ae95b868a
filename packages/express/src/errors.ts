import { isCourierApiError, isCourierError } from "@courier-ts/core";
import type { NextFunction, Request, Response } from "express";

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

/** Renders any error as JSON. Upstream 4xx keep their status; Courier being down is 502. Never leaks a key. */
export function jsonErrorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof ProxyError) {
    res.status(error.status).json({ message: error.message, type: error.type });
    return;
  }
  const status = (error as { status?: unknown; type?: unknown })?.status;
  if ((error as { type?: unknown })?.type === "entity.parse.failed" || status === 400) {
    res.status(400).json({ message: "Malformed JSON body", type: "invalid_request_error" });
    return;
  }
  if (status === 413) {
    res.status(413).json({ message: "Payload Too Large", type: "invalid_request_error" });
    return;
  }
  if (isCourierApiError(error) && error.status < 500) {
    res.status(error.status).json({ message: error.message, type: error.type ?? "invalid_request_error" });
    return;
  }
  if (isCourierError(error)) {
    res.status(502).json({ message: "Courier is unavailable", type: "api_error" });
    return;
  }
  res.status(500).json({ message: "Internal error", type: "api_error" });
}
