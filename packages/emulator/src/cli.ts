#!/usr/bin/env node
import { parseArgs } from "node:util";
import { startEmulator } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    "api-key": { type: "string" },
    "fault-rate": { type: "string" },
    "fault-seed": { type: "string" },
    "step-ms": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`courier-emulator: a stateful in-memory Courier API

  --port, -p      port (default 4010)
  --host          host (default 127.0.0.1)
  --api-key       require this bearer key (default: any non-empty key)
  --fault-rate    share of requests that get an injected fault (0..1)
  --fault-seed    seed of the fault sequence
  --step-ms       ms between message status steps (default 200)

  GET /__emulator/stats   counters;  POST /__emulator/reset   drop all state`);
  process.exit(0);
}

const emulator = await startEmulator({
  port: Number(values.port),
  host: values.host,
  apiKey: values["api-key"],
  stepMs: values["step-ms"] ? Number(values["step-ms"]) : undefined,
  faults: values["fault-rate"]
    ? { rate: Number(values["fault-rate"]), seed: Number(values["fault-seed"] ?? 1) }
    : undefined,
});
console.log(`Courier emulator listening on ${emulator.url}`);
const stop = () => {
  emulator.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
