import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.source.mts";

export default defineProject({
  ...sourceConditions,
  resolve: {
    ...sourceConditions.resolve,
    // The bulk entry imports the client by its package name (see tsconfig.json `paths`).
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
