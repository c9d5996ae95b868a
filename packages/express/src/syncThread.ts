/**
 * The thread of `courierProfileSync({ thread })`: it makes the upstream calls of the syncs with a client
 * of its own, so that their work (building requests, Node's `fetch`, reading answers, retries) runs off
 * the thread that serves the app's requests. It gets `{ id, state }` and answers `{ id }` or
 * `{ id, error }`. The app's side ends it with `terminate()`.
 */
import { execFileSync } from "node:child_process";
import { readlinkSync } from "node:fs";
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
 * How much lower the thread's CPU priority is than the app's, on Linux, where `SCHED_IDLE` cannot be set
 * (below): nice 10 above it (at most 19). It gives the requests most of a CPU they share with the syncs,
 * but it does not make a request that arrives while a sync is running go first: measured on Linux 6.18
 * (EEVDF), a thread waiting for a 1 ms timer beside a thread at nice 0, +10 or +19 that keeps the same CPU
 * busy 2 ms at a time woke 0.8 to 1.5 ms late one time in ten, whatever the nice value; beside a
 * `SCHED_IDLE` thread, 0.09 ms (`pnpm bench express` measures it again). On Linux the nice value belongs
 * to the thread; elsewhere it is the whole process's, so it is left alone there.
 */
const SYNC_THREAD_NICE = 10;

/**
 * Puts this thread (only) in Linux's `SCHED_IDLE` class: it runs only when no other thread wants its CPU,
 * and a request's thread that wakes up takes the CPU from it at once. Node has no call for a thread's
 * scheduling class, so this runs util-linux's `chrt` (in every Debian and Ubuntu image, and in BusyBox)
 * on this thread's id, without a shell, once, when the thread starts. Where `chrt` is missing or not
 * allowed, the thread keeps the nice value above.
 */
function runWhenIdle(): void {
  try {
    const tid = readlinkSync("/proc/thread-self").split("/").pop() ?? "";
    if (/^\d+$/.test(tid)) {
      execFileSync("chrt", ["-i", "-p", "0", tid], { stdio: "ignore", timeout: 2_000 });
    }
  } catch {
    // No `chrt` here, or not allowed: the nice value above stays.
  }
}

if (parentPort) {
  if (process.platform === "linux") {
    try {
      setPriority(Math.min(19, getPriority() + SYNC_THREAD_NICE));
    } catch {
      // Not allowed here (some sandboxes): the thread runs at the app's priority.
    }
    runWhenIdle();
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
