import { isMainThread, parentPort, workerData } from "node:worker_threads";

/** What the main thread tells the worker that `courier-ts bulk send` runs in. */
export interface WorkerData {
  argv: string[];
  /** The real stderr's terminal: a worker's own stderr is a pipe to the main thread, never a TTY. */
  stderr: { isTTY: boolean; columns: number | undefined };
}

/** The stream the progress bar draws on: stderr, as the terminal it really is. */
export function progressStream(): NodeJS.WritableStream & { isTTY?: boolean; columns?: number } {
  if (isMainThread) {
    return process.stderr;
  }
  const { stderr } = workerData as WorkerData;
  return Object.assign(Object.create(process.stderr) as NodeJS.WriteStream, {
    isTTY: stderr.isTTY,
    columns: stderr.columns,
  });
}

/**
 * Calls `stop` on SIGINT or SIGTERM, or, in the worker that `courier-ts bulk send` runs in, when the
 * main thread relays one (a worker does not receive signals). Returns the unsubscribe function.
 */
export function onStop(stop: () => void): () => void {
  if (isMainThread || !parentPort) {
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    return () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    };
  }
  const port = parentPort;
  const onMessage = (message: unknown) => {
    if (message === "stop") {
      stop();
    }
  };
  port.on("message", onMessage);
  // The listener must not keep the worker alive once the send is over.
  port.unref();
  return () => {
    port.off("message", onMessage);
  };
}
