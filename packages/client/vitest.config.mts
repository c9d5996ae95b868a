import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "client",
    environment: "node",
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
