import { defineConfig } from "vite";

// No React plugin needed: esbuild compiles the TSX (the demo does not use fast refresh).
export default defineConfig({
  root: "src",
  logLevel: "warn",
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // "use client" marks modules for React Server Components bundlers; in this single-page app every
        // module is a client module, so the directive has nothing to say and Rollup's notice is noise.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE" && warning.message.includes('"use client"')) {
          return;
        }
        warn(warning);
      },
    },
  },
  esbuild: { jsx: "automatic" },
});
