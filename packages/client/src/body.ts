import type { Attempt } from "./attempt.js";
import { tooLarge } from "./messages.js";

/** Where a guarded response keeps the function that makes its guarded `body` stream. */
const STREAM = Symbol("stream");

type Guarded = Response & { [STREAM]: () => ReadableStream<Uint8Array> };

/**
 * The guarded responses' `body`: one getter for all of them, so that they keep sharing one shape (a new
 * getter per response gives each its own, and makes every later use of it several µs slower).
 */
const body = {
  get(this: Guarded) {
    return this[STREAM]();
  },
};

/**
 * The response with its body read through a guard, which no stream library does for a `fetch` body:
 * - the attempt (its timeout and the caller's signal) ends only when the body has been read, cancelled
 *   or failed;
 * - more than `limit` bytes end the read with a `response_too_large` error, so an endless body cannot
 *   fill the memory;
 * - a read that fails (timeout, abort, connection closed) fails with the typed error of the attempt.
 *
 * The response itself is returned, with its body locked to the guard's reader and its reading methods
 * (`text`, `json`, `arrayBuffer`, `blob`, and `body` as a stream) going through the guard. A new
 * `Response` around a counting stream would do the same, but costs a stream, a copy of the headers and a
 * second pass over every chunk on each call; only `body`, `arrayBuffer` and `blob` make a stream.
 */
export function guardBody(response: Response, attempt: Attempt, limit: number): Response {
  const source = response.body;
  // 204, 205 and 304 responses have none too: the `Response` constructor refuses one.
  if (source === null) {
    attempt.done();
    return response;
  }
  // Locked from here on: nothing (`clone`, `formData`) can read the body around the guard.
  const reader = source.getReader();
  let received = 0;
  let stream: ReadableStream<Uint8Array> | undefined;
  /** The next chunk, counted, or `undefined` at the end. */
  const next = async (): Promise<Uint8Array | undefined> => {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (cause) {
      attempt.done();
      throw attempt.failure(cause, true);
    }
    if (chunk.done) {
      attempt.done();
      return undefined;
    }
    received += chunk.value.byteLength;
    if (received > limit) {
      attempt.done();
      reader.cancel().catch(() => {});
      throw attempt.fail(tooLarge(limit), "response_too_large");
    }
    return chunk.value;
  };
  // As `Response.text()`: UTF-8, a leading byte order mark dropped, bad bytes replaced.
  const text = async () => {
    const decoder = new TextDecoder();
    let text = "";
    for (let chunk = await next(); chunk; chunk = await next()) {
      text += decoder.decode(chunk, { stream: true });
    }
    return text + decoder.decode();
  };
  const guarded = response as Guarded & Record<string, unknown>;
  guarded.text = text;
  guarded.json = async () => JSON.parse(await text());
  // Rarer reads go through the guarded stream.
  for (const read of ["arrayBuffer", "blob"] as const) {
    guarded[read] = () => new Response(guarded.body, response)[read]();
  }
  guarded[STREAM] = () =>
    (stream ??= new ReadableStream<Uint8Array>({
      // A rejected pull errors the stream with the same error.
      pull: async (controller) => {
        const chunk = await next();
        chunk ? controller.enqueue(chunk) : controller.close();
      },
      cancel(reason) {
        attempt.done();
        return reader.cancel(reason);
      },
    }));
  // `body` is a getter of `Response.prototype`: only a getter can shadow it.
  return Object.defineProperty(guarded, "body", body);
}
