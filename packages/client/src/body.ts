import type { Attempt } from "./attempt.js";
import { tooLarge } from "./messages.js";

/**
 * The response with its body read through a guard, which no stream library does for a `fetch` body:
 * - the attempt (its timeout and the caller's signal) ends only when the body has been read, cancelled
 *   or failed;
 * - more than `limit` bytes end the read with a `response_too_large` error, so an endless body cannot
 *   fill the memory;
 * - a read that fails (timeout, abort, connection closed) fails with the typed error of the attempt.
 */
export function guardBody(response: Response, attempt: Attempt, limit: number): Response {
  const source = response.body;
  // 204, 205 and 304 responses have none too: the `Response` constructor refuses one.
  if (source === null) {
    attempt.done();
    return response;
  }
  const reader = source.getReader();
  let received = 0;
  const body = new ReadableStream<Uint8Array>({
    // A pull that throws errors the stream with what it threw.
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (cause) {
        attempt.done();
        throw attempt.failure(cause, true);
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
        throw attempt.fail(tooLarge(limit), "response_too_large");
      }
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      attempt.done();
      return reader.cancel(reason);
    },
  });
  return new Response(body, response);
}
