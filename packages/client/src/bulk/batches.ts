import type { BulkUser, BulkUserSource } from "./types.js";

/** A slice of the source: users `start` .. `start + users.length - 1`, and the size of their request body. */
export interface Batch {
  /** Index in the source of the first user. */
  start: number;
  users: BulkUser[];
  /** UTF-8 bytes of `{"users":[...]}`, exactly as JSON.stringify writes it. */
  bytes: number;
}

/** `{"users":[]}` */
const ENVELOPE_BYTES = 12;

/**
 * UTF-8 length of a string. Hand-written because `TextEncoder` has no length-only method and
 * `Buffer.byteLength` is Node-only; JSON.stringify output has no lone surrogates, so pairs count 4.
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      continue;
    }
    if (code < 0x800) {
      bytes += 1;
    } else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2;
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

function isReadableStream(source: unknown): source is ReadableStream<BulkUser> {
  return typeof (source as ReadableStream | undefined)?.getReader === "function";
}

/** One loop over any source kind. Web streams are read with a reader: not every runtime makes them iterable. */
export async function* usersOf(source: BulkUserSource): AsyncGenerator<BulkUser, void, undefined> {
  if (!isReadableStream(source)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      yield value;
    }
  } finally {
    // Stopping early (abort, failure) cancels the stream so its source can close files and sockets.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Thrown by {@link batchesOf} for a user that cannot be sent; `index` is its place in the source. */
export class UnsendableUserError extends Error {
  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(`User ${index} of the source ${reason}`);
  }
}

/**
 * Greedy batches of at most `maxUsers` users and `maxBytes` body bytes, after skipping the first `skip`
 * users. The same source and limits always give the same batches, which is what lets a resumed run
 * send a batch under the idempotency key it had before the crash.
 */
export async function* batchesOf(
  source: BulkUserSource,
  skip: number,
  maxUsers: number,
  maxBytes: number,
): AsyncGenerator<Batch, void, undefined> {
  let index = 0;
  let batch: Batch = { start: skip, users: [], bytes: ENVELOPE_BYTES };
  for await (const user of usersOf(source)) {
    if (index++ < skip) {
      continue;
    }
    const json = typeof user === "object" && user !== null && !Array.isArray(user) ? JSON.stringify(user) : undefined;
    if (json === undefined) {
      throw new UnsendableUserError(index - 1, "is not an object");
    }
    const size = utf8Length(json);
    if (ENVELOPE_BYTES + size > maxBytes) {
      throw new UnsendableUserError(index - 1, `is ${size} bytes, more than maxBatchBytes (${maxBytes})`);
    }
    const added = (batch.users.length > 0 ? 1 : 0) + size;
    if (batch.users.length >= maxUsers || batch.bytes + added > maxBytes) {
      yield batch;
      batch = { start: index - 1, users: [], bytes: ENVELOPE_BYTES };
    }
    batch.bytes += (batch.users.length > 0 ? 1 : 0) + size;
    batch.users.push(user);
  }
  if (batch.users.length > 0) {
    yield batch;
  }
}
