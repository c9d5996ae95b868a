/** `pnpm demo`: the demo on http://127.0.0.1:3000 (PORT to change). Ctrl-C stops everything. */
import { startDemo } from "./app.ts";

const demo = await startDemo({ port: Number(process.env.PORT ?? 3000) });
console.log(`\ncourier-ts demo running at ${demo.url}`);
console.log(
  demo.emulator
    ? `Courier: the local emulator at ${demo.emulator.url} (set COURIER_API_KEY to use the real Courier)`
    : "Courier: the real API (COURIER_API_KEY)",
);
console.log("Press Ctrl-C to stop.\n");
let stopping = false;
const stop = () => {
  if (stopping) {
    return;
  }
  stopping = true;
  console.log("\nstopping…");
  demo.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
