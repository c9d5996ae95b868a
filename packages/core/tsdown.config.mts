import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { defineConfig } from "tsdown";

const shared = {
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  fixedExtension: true,
  target: "node20",
} as const;

const TYPES_ONLY = /(generated\/openapi|generated\/calls|callOptions)\.js$/;

/**
 * The generated API types (about 400 kB) ship once, as `dist/generated/*.d.ts`, instead of inlined into both
 * `index.d.mts` and `index.d.cts`, with the call options they name (`dist/callOptions.d.ts`). They are types
 * only, so their sources are valid declaration files as they are. The CommonJS declarations reach them with
 * `resolution-mode: "import"` (TypeScript 5.3+), since the package is ESM.
 */
function shipGeneratedTypesOnce(): void {
  mkdirSync("dist/generated", { recursive: true });
  for (const name of ["generated/openapi", "generated/calls", "callOptions"]) {
    copyFileSync(`src/${name}.ts`, `dist/${name}.d.ts`);
  }
  const cts = readFileSync("dist/index.d.cts", "utf8");
  // Type-only, so that TypeScript accepts the attribute in every module mode (node16 included).
  const patched = cts.replace(
    /import\s+(?:type\s+)?(\{[^}]*\}\s+from\s+"\.\/(?:generated\/openapi|generated\/calls|callOptions)\.js")\s*;/g,
    'import type $1 with { "resolution-mode": "import" };',
  );
  if (patched === cts) {
    throw new Error("core build: index.d.cts no longer imports the generated types; update shipGeneratedTypesOnce");
  }
  writeFileSync("dist/index.d.cts", patched);
}

// Two builds, not two entries of one: each file stands alone (no shared chunk), so importing the
// package loads one module.
export default defineConfig([
  {
    ...shared,
    entry: { index: "src/index.ts" },
    clean: true,
    external: [TYPES_ONLY],
    // The merged OpenAPI document, for tools that validate against it (the emulator does).
    copy: [{ from: "src/generated/openapi.json", to: "openapi.json" }],
    onSuccess: shipGeneratedTypesOnce,
  },
  { ...shared, entry: { internal: "src/internal.ts" }, clean: false },
]);
