/**
 * `pnpm bench`: every benchmark section, each reported as ratios against a baseline measured in the
 * same run. Pass section names to run a subset: `pnpm bench client emulator`.
 */
import { benchBulk } from "./bulk.ts";
import { benchClient } from "./client.ts";
import { benchCost } from "./cost.ts";
import { benchEmulator } from "./emulator.ts";
import { benchExpress } from "./express.ts";

const sections: Record<string, () => Promise<unknown>> = {
  client: () => benchClient(),
  emulator: () => benchEmulator(),
  express: () => benchExpress(),
  cost: () => benchCost(),
  bulk: () => benchBulk(),
};

const wanted = process.argv.slice(2).filter((a) => a in sections);
console.log(`courier-ts benchmarks: node ${process.version}, ${new Date().toISOString()}`);
for (const name of wanted.length > 0 ? wanted : Object.keys(sections)) {
  await sections[name]?.();
}
