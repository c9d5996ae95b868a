import { defineConfig } from "tsdown";

const shared = { sourcemap: true, fixedExtension: true, target: "node20" } as const;

export default defineConfig([
  { ...shared, entry: { index: "src/index.ts" }, format: ["esm", "cjs"], dts: true, clean: true },
  // The binary uses top-level await: ESM only.
  { ...shared, entry: { cli: "src/cli.ts" }, format: ["esm"], dts: false, clean: false },
]);
