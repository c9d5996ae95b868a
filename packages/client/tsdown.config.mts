import { defineConfig } from "tsdown";

const shared = {
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  fixedExtension: true,
  target: "node20",
} as const;

export default defineConfig([
  // The helpers core shares with its sibling packages are copied in: one module fewer to load.
  { ...shared, entry: { index: "src/index.ts" }, clean: true, noExternal: ["@courier-ts/core/internal"] },
  // `@courier-ts/client/bulk` is its own file, so a plain send never loads it; it imports the client
  // by name (the package's own exports) instead of bundling a second copy of it.
  { ...shared, entry: { bulk: "src/bulk/index.ts" }, clean: false, external: ["@courier-ts/client"] },
]);
