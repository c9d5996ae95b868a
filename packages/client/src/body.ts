import type { Attempt } from "./attempt.js";
import { tooLarge } from "./messages.js";

/**
 * The response, its body guarded (no stream library does this for a `fetch` body):
 * - the attempt (its timeout and the caller's signal) ends only when the body has been read, cancelled
 *   or failed;
 * - more than `limit` bytes end the read with a `response_too_large` error, so an endless body cannot
 *   fill the memory;
 * - a read that fails (timeout, abort, connection closed) fails with the typed error of the attempt.
 *
 * Any body is read through a counting stream, except one with a `Content-Length` within the limit and
 * no `Content-Encoding` (decoding can make a body far longer than what was sent), which cannot grow past
 * its length. That one (a JSON API's usual answer) keeps fetch's own `text` and `json` (all that
 * openapi-fetch calls for the default `parseAs`), wrapped to end the attempt and type their errors: a
 * counting stream and a second `Response` around it cost about 25 µs a call in Node. Read with another
 * `parseAs` (`arrayBuffer`, `blob`, `stream`), such a body is fetch's own: the attempt's signal still
 * ends it at the timeout, with fetch's own error, and the attempt's timer (which does not keep the
 * process alive) runs to its end.
 */
export function guardBody(response: Response, attempt: Attempt, limit: number): Response {
  const source = response.body;
  // 204, 205 and 304 responses have none too: the `Response` constructor refuses one.
  if (source === null) {
    attempt.done();
    return response;
  }
  const length = response.headers.get("content-length");
  if (!(length && +length <= limit && !response.headers.has("content-encoding"))) {
    return new Response(counted(source, attempt, limit), response);
  }
  const { text } = response;
  // Plain `then`s rather than async functions: one promise per read fewer, on every call.
  const read = (): Promise<string> =>
    text.call(response).then(
      (body) => {
        attempt.done();
        return body;
      },
      (cause: unknown) => {
        attempt.done();
        throw attempt.failure(cause, true);
      },
    );
  // Parsed after the read, so that a body that is not JSON is a `SyntaxError`, as with fetch's own.
  return Object.assign(response, { text: read, json: () => read().then(JSON.parse) });
}

/** `source`, counted: the attempt ends with the stream, and more than `limit` bytes error it. */
function counted(source: ReadableStream<Uint8Array>, attempt: Attempt, limit: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let received = 0;
  return new ReadableStream<Uint8Array>({
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
}
