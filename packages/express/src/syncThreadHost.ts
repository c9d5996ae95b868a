import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { type CourierClientOptions, createCourierClient } from "@courier-ts/client";
import type { SyncUser } from "./profileSync.js";
import { receiveError } from "./syncCalls.js";
import type { SyncAnswer, SyncRequest } from "./syncThread.js";

/** The app's side of the sync thread. */
export interface SyncThread {
  /** Runs one user's sync on the thread; rejects with its error, rebuilt on this side. */
  sync(user: SyncUser): Promise<void>;
  /** Ends the thread: the calls still in progress are aborted and reject. Later syncs reject at once. */
  stop(): Promise<void>;
}

/** The thread's script: built next to this module; when this module runs from the package's sources (its tests), the built one. */
function threadScript(): URL {
  const built = new URL("./syncThread.mjs", import.meta.url);
  return existsSync(built) ? built : new URL("../dist/syncThread.mjs", import.meta.url);
}

/**
 * Starts the sync thread's host. The client options are checked here, so that a missing API key or a
 * bad base URL throws when the middleware is created, as it does with `client`; the thread itself starts
 * with the first sync, and keeps the process alive only while a sync is in progress.
 */
export function startSyncThread(options: Omit<CourierClientOptions, "fetch" | "logger">): SyncThread {
  createCourierClient(options);
  let worker: Worker | undefined;
  let stopped = false;
  let lastId = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  function failAll(error: Error): void {
    const all = [...waiting.values()];
    waiting.clear();
    for (const call of all) {
      call.reject(error);
    }
  }

  function thread(): Worker {
    if (worker) {
      return worker;
    }
    // Without the app's Node flags: the thread runs this package's built code with Node's own module
    // resolution, whatever loaders or `--conditions` the app runs with.
    const started = new Worker(threadScript(), { workerData: options, execArgv: [] });
    started.on("message", ({ id, error }: SyncAnswer) => {
      const call = waiting.get(id);
      waiting.delete(id);
      if (waiting.size === 0) {
        started.unref();
      }
      if (error) {
        call?.reject(receiveError(error));
      } else {
        call?.resolve();
      }
    });
    // A thread that failed or ended fails what it had in hand (those syncs are retried later); the next
    // sync starts a new one.
    started.on("error", (error) => {
      if (worker === started) {
        worker = undefined;
      }
      failAll(error);
    });
    started.on("exit", (code) => {
      if (worker === started) {
        worker = undefined;
      }
      failAll(new Error(`The profile sync thread ended (exit code ${code})`));
    });
    worker = started;
    return started;
  }

  return {
    sync(user) {
      if (stopped) {
        return Promise.reject(new Error("courierProfileSync closed"));
      }
      return new Promise<void>((resolve, reject) => {
        // As JSON text: what the client would send, `toJSON` included (a structured clone drops
        // prototypes), and one string is the cheapest message to copy. A profile JSON cannot write
        // rejects here, as the client's call would.
        const state = JSON.stringify({ id: user.id, profile: user.profile, lists: user.lists });
        const id = ++lastId;
        const target = thread();
        waiting.set(id, { resolve, reject });
        target.ref();
        target.postMessage({ id, state } satisfies SyncRequest);
      });
    },
    async stop() {
      stopped = true;
      const ending = worker;
      worker = undefined;
      failAll(new Error("courierProfileSync closed"));
      await ending?.terminate();
    },
  };
}
