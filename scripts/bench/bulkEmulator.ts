/**
 * The emulator for `pnpm bench bulk`, in its own process so that its memory is measured apart from the
 * client's. Driven over IPC: it reports its URL, then answers `check` with what the job really holds.
 * `BULK_EMULATOR_OPTIONS` (JSON) is merged into the emulator options, e.g. to raise memory caps.
 */
import { bulkOf, startEmulator } from "@courier-ts/emulator";

const faultRate = Number(process.env.BULK_FAULT_RATE ?? 0);
const extra = JSON.parse(process.env.BULK_EMULATOR_OPTIONS ?? "{}") as Record<string, unknown>;
const emulator = await startEmulator({
  apiKey: "bench",
  // Courier's own cap; the emulator's default (1 MB) is below a 1,000-user batch of large profiles.
  bodyLimit: 6_000_000,
  faults:
    faultRate > 0
      ? { rate: faultRate, seed: 20261130, retryAfterSeconds: 0, match: (_method, path) => path.startsWith("/bulk") }
      : undefined,
  ...extra,
});

process.on("message", (message: { check?: string }) => {
  if (message.check === undefined) {
    return;
  }
  const job = bulkOf(emulator.state).jobs.get(message.check);
  const recipients = new Set(job?.users.map((u) => u.recipient));
  const stats = emulator.stats();
  process.send?.({
    status: job?.status,
    received: job?.users.length ?? 0,
    unique: recipients.size,
    messages: stats.messages,
    requests: stats.requests,
    replays: stats.replays,
    faults: Object.values(stats.faults).reduce((a, b) => a + b, 0),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  });
});
process.send?.({ url: emulator.url });
