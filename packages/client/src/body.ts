import type { Attempt } from "./attempt.js";
import { tooLarge } from "./messages.js";

/** Statuses whose response never has a body (the `Response` constructor refuses one). */
const NULL_BODY = [204, 205, 304];

let decoder: TextDecoder | undefined;

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
 * second pass over every chunk on each call; only `body`, when asked for, makes a stream.
 */
export function guardBody(response: Response, attempt: Attempt, limit: number): Response {
  const source = response.body;
  if (source === null || NULL_BODY.includes(response.status)) {
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
  /** The whole body, as one array. */
  const bytes = async (): Promise<Uint8Array> => {
    const chunks: Uint8Array[] = [];
    for (let chunk = await next(); chunk; chunk = await next()) {
      chunks.push(chunk);
    }
    if (chunks.length === 1) {
      return chunks[0] as Uint8Array;
    }
    const all = new Uint8Array(received);
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.byteLength;
    }
    return all;
  };
  // As `Response.text()`: UTF-8, a leading byte order mark dropped, bad bytes replaced.
  const text = async () => {
    decoder ??= new TextDecoder();
    return decoder.decode(await bytes());
  };
  Object.assign(response, {
    text,
    json: async () => JSON.parse(await text()),
    arrayBuffer: async () => (await bytes()).slice().buffer,
    blob: async () =>
      new Blob([(await bytes()) as Uint8Array<ArrayBuffer>], { type: response.headers.get("content-type") ?? "" }),
  });
  (response as Guarded)[STREAM] = () =>
    (stream ??= new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const chunk = await next();
          chunk ? controller.enqueue(chunk) : controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
      cancel(reason) {
        attempt.done();
        return reader.cancel(reason);
      },
    }));
  // `body` is a getter of `Response.prototype`: only a getter can shadow it.
  return Object.defineProperty(response, "body", body);
}
