import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

export default defineProject({
  // The bulk entry imports the client by its package name (see tsconfig.json `paths`).
  resolve: {
    alias: [{ find: /^@courier-ts\/client$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }],
  },
  test: {
    name: "client",
    environment: "node",
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
