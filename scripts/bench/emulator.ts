/** The emulator's POST /send throughput on loopback, bounded (a fixed number of sends, 10 in flight). */
import { startEmulator } from "@courier-ts/emulator";
import { fmt } from "./lib.ts";

export async function benchEmulator(total = 10_000, concurrency = 10): Promise<number> {
  const emulator = await startEmulator({ apiKey: "bench" });
  const init = {
    method: "POST",
    headers: { Authorization: "Bearer bench", "Content-Type": "application/json" },
    body: JSON.stringify({ message: { to: { user_id: "user-1" }, template: "WELCOME" } }),
  };
  try {
    let next = 0;
    const run = async () => {
      while (next < total) {
        next++;
        const response = await fetch(`${emulator.url}/send`, init);
        await response.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, run));
    emulator.reset();
    next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, run));
    const perSec = total / ((performance.now() - started) / 1000);
    if (emulator.state.messages.size !== total) {
      throw new Error(`expected ${total} messages, emulator recorded ${emulator.state.messages.size}`);
    }
    console.log(`\n## Emulator: ${fmt(total)} POST /send, ${concurrency} in flight, loopback`);
    console.log(`${fmt(perSec)} sends/s (${fmt(emulator.state.messages.size)} messages recorded)`);
    return perSec;
  } finally {
    await emulator.close();
  }
}
