import { defineProject } from "vitest/config";
import { sourceConditions } from "../vitest.source.mts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "repo",
    environment: "node",
    include: ["__tests__/**/*.test.ts"],
    testTimeout: 120_000,
  },
});
