import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "demo",
    environment: "node",
    include: ["e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
