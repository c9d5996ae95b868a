import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.source.mts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "demo",
    environment: "node",
    include: ["e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
