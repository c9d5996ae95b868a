import { defineConfig } from "tsdown";

const shared = {
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  fixedExtension: true,
  platform: "neutral",
  target: "es2022",
  external: ["react", "react/jsx-runtime", "@tanstack/react-query"],
} as const;

export default defineConfig([
  // Hooks and context only work in client components (React Server Components). One build for both client
  // entries, so that they share one chunk with the context: `/api`'s hooks see the provider of the main entry.
  {
    ...shared,
    entry: { index: "src/index.ts", api: "src/typedApi.ts" },
    clean: true,
    banner: { js: '"use client";' },
  },
  // Keys, query options and the proxy client, for server components: no directive.
  { ...shared, entry: { server: "src/server.ts" }, clean: false },
]);
