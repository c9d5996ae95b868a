import { defineConfig } from "vite";

// No React plugin needed: esbuild compiles the TSX (the demo does not use fast refresh).
export default defineConfig({
  root: "src",
  build: { outDir: "../dist", emptyOutDir: true },
  esbuild: { jsx: "automatic" },
});
