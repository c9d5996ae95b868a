import { defineConfig } from "tsdown";

const shared = {
  sourcemap: true,
  fixedExtension: true,
  target: "node20",
  external: ["vitest"],
} as const;

export default defineConfig([
  // Vitest itself cannot be require()d, so the `./vitest` subpath is ESM only (a CommonJS build of it
  // would fail to load). Built together with the ESM index, the two share one chunk of emulator code.
  { ...shared, entry: { index: "src/index.ts", vitest: "src/vitest.ts" }, format: ["esm"], dts: true, clean: true },
  { ...shared, entry: { index: "src/index.ts" }, format: ["cjs"], dts: true, clean: false },
  // The CLI uses top-level await: ESM only.
  { ...shared, entry: { cli: "src/cli.ts" }, format: ["esm"], dts: false, clean: false },
]);
