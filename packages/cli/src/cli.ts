#!/usr/bin/env node
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { EXIT } from "./exitCodes.js";
import { run } from "./run.js";
import type { WorkerData } from "./thread.js";

/**
 * `bulk send` runs in a worker thread with a small young generation: at Node's default (48 MB) the
 * process of a long streaming send peaks around 150 MB, with 8 MB about 120 MB, at the same speed
 * (`pnpm bench bulk`). V8 takes this limit only when a heap is created, hence the worker. The main
 * thread only relays signals: the first stops the send after the batches in flight, the second quits.
 */
const YOUNG_GENERATION_MB = 8;

const argv: string[] = isMainThread ? process.argv.slice(2) : (workerData as WorkerData).argv;
if (!isMainThread) {
  parentPort?.postMessage({ exitCode: await run(argv) });
} else if (argv[0] === "bulk" && argv[1] === "send") {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: {
      argv,
      stderr: { isTTY: process.stderr.isTTY === true, columns: process.stderr.columns },
    } satisfies WorkerData,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  let signals = 0;
  const relay = () => {
    if (++signals > 1) {
      process.exit(EXIT.interrupted);
    }
    worker.postMessage("stop");
  };
  process.on("SIGINT", relay);
  process.on("SIGTERM", relay);
  worker.on("message", (message: { exitCode?: number }) => {
    process.exitCode = message.exitCode;
  });
  worker.on("error", (error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exitCode = EXIT.failed;
  });
  worker.on("exit", () => {
    process.off("SIGINT", relay);
    process.off("SIGTERM", relay);
  });
} else {
  process.exitCode = await run(argv);
}
