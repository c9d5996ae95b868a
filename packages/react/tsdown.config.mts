import { defineConfig } from "tsdown";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  fixedExtension: true,
  platform: "neutral",
  target: "es2022",
  external: ["react", "react/jsx-runtime", "@tanstack/react-query"],
  // Hooks and context only work in client components (React Server Components).
  banner: { js: '"use client";' },
});
