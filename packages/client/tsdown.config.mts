import { defineConfig } from "tsdown";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  fixedExtension: true,
  target: "node20",
  // The helpers core shares with its sibling packages are copied in: one module fewer to load.
  noExternal: ["@courier-ts/core/internal"],
});
