/**
 * The thread of `courierProfileSync({ thread })`: it makes the upstream calls of the syncs with a client
 * of its own, so that their work (building requests, Node's `fetch`, reading answers, retries) runs off
 * the thread that serves the app's requests. It gets `{ id, state }` and answers `{ id }` or
 * `{ id, error }`. The app's side ends it with `terminate()`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type CourierClientOptions, createCourierClient } from "@courier-ts/client";
import { type SentError, type SyncState, sendError, syncUser } from "./syncCalls.js";

/** A sync the app's thread asks for: `state` is the JSON of a `SyncState`. */
export interface SyncRequest {
  id: number;
  state: string;
}

/** Its outcome. */
export interface SyncAnswer {
  id: number;
  error?: SentError;
}

if (parentPort) {
  const port = parentPort;
  const client = createCourierClient(workerData as CourierClientOptions);
  port.on("message", ({ id, state }: SyncRequest) => {
    let user: SyncState;
    try {
      user = JSON.parse(state) as SyncState;
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
