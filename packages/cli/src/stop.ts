import { isMainThread, parentPort } from "node:worker_threads";

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
