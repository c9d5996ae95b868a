import { defineConfig } from "tsdown";

const shared = {
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  fixedExtension: true,
  target: "node20",
} as const;

// Two builds, not two entries of one: each file stands alone (no shared chunk), so importing the
// package loads one module.
export default defineConfig([
  {
    ...shared,
    entry: { index: "src/index.ts" },
    clean: true,
    // The merged OpenAPI document, for tools that validate against it (the emulator does).
    copy: [{ from: "src/generated/openapi.json", to: "dist/openapi.json" }],
  },
  { ...shared, entry: { internal: "src/internal.ts" }, clean: false },
]);
