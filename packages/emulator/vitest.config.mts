import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.source.mts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "emulator",
    environment: "node",
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
