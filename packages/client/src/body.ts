import { CourierError } from "@courier-ts/core";
import { type Attempt, pathOf } from "./attempt.js";
import { messages } from "./messages.js";

/** Statuses whose response never has a body (the `Response` constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function tooLarge(attempt: Attempt, limit: number): CourierError {
  const request = { method: attempt.method, path: pathOf(attempt.url) };
  return new CourierError(messages.tooLarge(request.method, request.path, limit), {
    code: "response_too_large",
    request,
  });
}

/**
 * The response with its body read through a guard, which no stream library does for a `fetch` body:
 * - the attempt (its timeout and the caller's signal) ends only when the body has been read, cancelled
 *   or failed;
 * - more than `limit` bytes end the read with a `response_too_large` error, so an endless body cannot
 *   fill the memory (a `Content-Length` above the limit fails before anything is read);
 * - a read that fails (timeout, abort, connection closed) fails with the typed error of the attempt.
 */
export function guardBody(response: Response, attempt: Attempt, limit: number): Response {
  const source = response.body;
  if (source === null || NULL_BODY.has(response.status)) {
    attempt.done();
    return response;
  }
  if (Number(response.headers.get("content-length")) > limit) {
    attempt.done();
    source.cancel().catch(() => {});
    throw tooLarge(attempt, limit);
  }
  const reader = source.getReader();
  let received = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (cause) {
        attempt.done();
        controller.error(attempt.failure(cause, true));
        return;
      }
      if (chunk.done) {
        attempt.done();
        controller.close();
        return;
      }
      received += chunk.value.byteLength;
      if (received > limit) {
        attempt.done();
        reader.cancel().catch(() => {});
        controller.error(tooLarge(attempt, limit));
        return;
      }
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      attempt.done();
      return reader.cancel(reason);
    },
  });
  const guarded = new Response(body, response);
  // The constructor leaves `url` empty; keep the one the response came from.
  Object.defineProperty(guarded, "url", { value: response.url });
  return guarded;
}
