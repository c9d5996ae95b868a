import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.source.mts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "express",
    environment: "node",
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
