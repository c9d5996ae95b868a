import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "repo",
    environment: "node",
    include: ["__tests__/**/*.test.ts"],
    testTimeout: 120_000,
  },
});
