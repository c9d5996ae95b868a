import { type CourierClient, unwrap } from "@courier-ts/client";
import { CourierApiError, CourierError, type CourierRequestInfo } from "@courier-ts/core";
import type { SyncUser } from "./profileSync.js";

/** Merges the user's profile into Courier's and adds their lists: the upstream calls of one sync. */
export async function syncUser(client: CourierClient, user: SyncUser, signal?: AbortSignal): Promise<void> {
  const path = { user_id: user.id };
  await unwrap(client.POST("/profiles/{user_id}", { params: { path }, body: { profile: user.profile }, signal }));
  if (user.lists && user.lists.length > 0) {
    await unwrap(
      client.POST("/profiles/{user_id}/lists", {
        params: { path },
        body: { lists: user.lists.map((listId) => ({ listId })) },
        signal,
      }),
    );
  }
}

/** A sync's failure as it crosses from the sync thread: structured cloning keeps only an error's message. */
export interface SentError {
  name: string;
  message: string;
  code?: string;
  request?: CourierRequestInfo;
  /** Set for Courier's own answers (`CourierApiError`). */
  api?: { status: number; body: unknown; headers: Record<string, string> };
}

export function sendError(error: unknown): SentError {
  if (error instanceof CourierApiError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      request: error.request,
      api: { status: error.status, body: error.body, headers: { ...error.headers } },
    };
  }
  if (error instanceof CourierError) {
    return { name: error.name, message: error.message, code: error.code, request: error.request };
  }
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}

/**
 * The error again, on the app's thread: Courier's answers as the same `CourierApiError` subclass (by
 * status: `NotFoundError`, `RateLimitError`...), the client's other failures as a `CourierError` with
 * their name and code (`TimeoutError`, `timeout`), anything else as an `Error` with its message.
 */
export function receiveError(sent: SentError): Error {
  if (sent.api) {
    const { status, body, headers } = sent.api;
    return CourierApiError.from(new Response(null, { status, headers }), body, sent.request);
  }
  const error = sent.code
    ? new CourierError(sent.message, { code: sent.code, request: sent.request })
    : new Error(sent.message);
  // `TimeoutError`, `ConnectionError`... keep their name (and their code) across.
  error.name = sent.name;
  return error;
}
