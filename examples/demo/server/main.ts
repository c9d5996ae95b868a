/**
 * `pnpm demo`: the demo on http://127.0.0.1:3000. `PORT` picks another port; `COURIER_API_KEY` (and
 * `COURIER_BASE_URL`) use the real Courier instead of the local emulator. Ctrl-C stops everything.
 */
import { startDemo } from "./app.ts";

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number (got "${process.env.PORT}").`);
  process.exit(1);
}

let demo: Awaited<ReturnType<typeof startDemo>>;
try {
  demo = await startDemo({ port });
} catch (error) {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === "EADDRINUSE") {
    console.error(`Port ${port} is in use: stop what runs there, or pick another port, e.g. PORT=3001 pnpm demo`);
  } else if (code === "EACCES") {
    console.error(`Port ${port} needs more privileges: pick one above 1023, e.g. PORT=3001 pnpm demo`);
  } else {
    console.error(`The demo could not start: ${message}`);
  }
  process.exit(1);
}

// Listen before saying "Press Ctrl-C": a signal that arrives before a listener exists kills the process.
let stopping = false;
const stop = () => {
  if (stopping) {
    return;
  }
  stopping = true;
  console.log("stopping…");
  demo.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

console.log(`\ncourier-ts demo running at ${demo.url}`);
console.log(`Courier: ${demo.courier}${demo.emulator ? " (set COURIER_API_KEY to use the real Courier)" : ""}`);
console.log(
  demo.liveUpdates === "webhooks"
    ? "Deliveries reach the app through Courier's webhooks; the inbox updates live."
    : "The inbox polls for deliveries (Courier's webhooks are not set up for this app).",
);
console.log("Press Ctrl-C to stop.\n");
