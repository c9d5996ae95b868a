#!/usr/bin/env node
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { readSeedFile } from "./seed.js";
import { type EmulatorOptions, startEmulator } from "./server.js";

const HELP = `courier-emulator: a stateful in-memory Courier API

  --port, -p         port (default 4010)
  --host             host (default 127.0.0.1)
  --api-key          require this bearer key (default: any non-empty key)
  --seed             load initial state from this JSON file (again on every reset)
  --webhook-url      POST signed message:updated events here
  --webhook-secret   the secret that signs them (required with --webhook-url)
  --max-messages     messages kept before the oldest are evicted (default 100000)
  --fault-rate       share of requests that get an injected fault (0..1)
  --fault-seed       seed of the fault sequence
  --step-ms          ms between message status steps (default 200)

  GET /__emulator/stats   counters;  POST /__emulator/reset   drop all state`;

/** Exit codes: 0 ok, 1 could not start, 2 bad command line. */
class UsageError extends Error {}

function number(name: string, value: string | undefined, check: (n: number) => boolean): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (value.trim() === "" || !check(n)) {
    throw new UsageError(`--${name} ${JSON.stringify(value)} is not valid`);
  }
  return n;
}

async function options(argv: string[]): Promise<EmulatorOptions | undefined> {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
  if (values.help) {
    return undefined;
  }
  const rate = number("fault-rate", values["fault-rate"], (n) => n >= 0 && n <= 1);
  const maxMessages = number("max-messages", values["max-messages"], (n) => Number.isInteger(n) && n > 0);
  return {
    port: number("port", values.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    host: values.host,
    apiKey: values["api-key"],
    stepMs: number("step-ms", values["step-ms"], (n) => n >= 0),
    seed: values.seed ? await readSeedFile(values.seed) : undefined,
    webhookUrl: values["webhook-url"],
    webhookSecret: values["webhook-secret"],
    retention: maxMessages ? { messages: maxMessages } : undefined,
    faults:
      rate !== undefined ? { rate, seed: number("fault-seed", values["fault-seed"], Number.isFinite) ?? 1 } : undefined,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string", short: "p", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      "api-key": { type: "string" },
      seed: { type: "string" },
      "webhook-url": { type: "string" },
      "webhook-secret": { type: "string" },
      "max-messages": { type: "string" },
      "fault-rate": { type: "string" },
      "fault-seed": { type: "string" },
      "step-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function fail(message: string, code: number): never {
  process.stderr.write(`courier-emulator: ${message}\n`);
  if (code === 2) {
    process.stderr.write("Run courier-emulator --help for the options.\n");
  }
  process.exit(code);
}

// This process is only the emulator, so it may tune V8: grow the heap by at most 50% over the live data
// after each full collection (V8's default lets a busy process grow up to 4x). Under a stream of sends,
// whose messages die in the old generation once evicted, this keeps RSS near 230 MB instead of 300+ MB
// with the default caps, at no measurable cost in throughput. It is read at each collection, so setting
// it now takes effect; `startEmulator()` in someone else's process never touches V8 flags.
setFlagsFromString("--heap-growing-percent=50");

try {
  const parsed = await options(process.argv.slice(2));
  if (!parsed) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const emulator = await startEmulator(parsed).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") {
      fail(`port ${parsed.port} on ${parsed.host} is already in use`, 1);
    }
    if (error.code === "EACCES") {
      fail(`no permission to listen on port ${parsed.port} on ${parsed.host}`, 1);
    }
    throw error;
  });
  process.stdout.write(`Courier emulator listening on ${emulator.url}\n`);
  const stop = () => {
    emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  // One line, no stack: the message says what to fix.
  fail(String((error as Error).message ?? error).split("\n")[0] as string, error instanceof UsageError ? 2 : 1);
}
