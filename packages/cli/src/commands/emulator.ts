import { startEmulator } from "@courier-ts/emulator";
import { integer, parse } from "../args.js";
import { EXIT, UsageError } from "../exitCodes.js";
import { emulatorHelp } from "../help.js";

const options = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  "api-key": { type: "string" },
  "step-ms": { type: "string" },
  "body-limit": { type: "string" },
  "fault-rate": { type: "string" },
  "fault-seed": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export async function emulator(args: string[]): Promise<number> {
  const values = parse(args, options);
  if (values.help) {
    process.stdout.write(`${emulatorHelp}\n`);
    return EXIT.ok;
  }
  const rate = values["fault-rate"] === undefined ? undefined : Number(values["fault-rate"]);
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
    throw new UsageError(`--fault-rate must be between 0 and 1, got "${values["fault-rate"]}"`);
  }
  const running = await startEmulator({
    port: integer("port", values.port, 4010, 0),
    host: values.host,
    apiKey: values["api-key"],
    stepMs: values["step-ms"] === undefined ? undefined : integer("step-ms", values["step-ms"], 200, 0),
    bodyLimit: integer("body-limit", values["body-limit"], 6_000_000),
    faults: rate === undefined ? undefined : { rate, seed: integer("fault-seed", values["fault-seed"], 1, 0) },
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await running.close();
  return EXIT.ok;
}
