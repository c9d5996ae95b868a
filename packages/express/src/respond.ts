import type { Response } from "express";

/**
 * Answers `body` as JSON with `status`, marked `Cache-Control: no-store`: everything the proxy answers is
 * one signed-in user's own data (or an error about it), which neither the browser's cache nor a shared one
 * should keep.
 *
 * Written out rather than through `res.json()`, which on top of this hashes every body for an `ETag` and
 * checks it against `If-None-Match`: a `no-store` answer is never revalidated, so that hash would be work
 * on every request for nothing. (The app's `json replacer` / `json spaces` settings do not apply here.)
 */
export function sendJson(res: Response, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}
