import { defineConfig } from "tsdown";

export default defineConfig({
  entry: { index: "src/index.ts", internal: "src/internal.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  fixedExtension: true,
  target: "node20",
  // The merged OpenAPI document, for tools that validate against it (the emulator does).
  copy: [{ from: "src/generated/openapi.json", to: "dist/openapi.json" }],
});
