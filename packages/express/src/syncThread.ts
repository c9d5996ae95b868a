/**
 * The thread of `courierProfileSync({ thread })`: it makes the upstream calls of the syncs with a client
 * of its own, so that their work (building requests, Node's `fetch`, reading answers, retries) runs off
 * the thread that serves the app's requests. It gets `{ id, state }` and answers `{ id }` or
 * `{ id, error }`. The app's side ends it with `terminate()`.
 */
import { getPriority, setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { type CourierClientOptions, createCourierClient } from "@courier-ts/client";
import type { SyncUser } from "./profileSync.js";
import { type SentError, sendError, syncUser } from "./syncCalls.js";

/** A sync the app's thread asks for: `state` is the JSON of a `SyncUser`. */
export interface SyncRequest {
  id: number;
  state: string;
}

/** Its outcome. */
export interface SyncAnswer {
  id: number;
  error?: SentError;
}

/**
 * How much lower the thread's CPU priority is than the app's, on Linux: nice 10 above it (at most 19).
 * When a request and a sync want the same CPU at once, the request goes first; the sync runs in the time
 * the requests leave free, and still gets about a tenth of a CPU the app keeps busy. On Linux the nice
 * value belongs to the thread (only this one changes); elsewhere it is the whole process's, so it is left
 * alone there.
 */
const SYNC_THREAD_NICE = 10;

if (parentPort) {
  if (process.platform === "linux") {
    try {
      setPriority(Math.min(19, getPriority() + SYNC_THREAD_NICE));
    } catch {
      // Not allowed here (some sandboxes): the thread runs at the app's priority.
    }
  }
  const port = parentPort;
  const client = createCourierClient(workerData as CourierClientOptions);
  port.on("message", ({ id, state }: SyncRequest) => {
    let user: SyncUser;
    try {
      user = JSON.parse(state) as SyncUser;
    } catch (error) {
      port.postMessage({ id, error: sendError(error) } satisfies SyncAnswer);
      return;
    }
    syncUser(client, user).then(
      () => port.postMessage({ id } satisfies SyncAnswer),
      (error: unknown) => port.postMessage({ id, error: sendError(error) } satisfies SyncAnswer),
    );
  });
}
