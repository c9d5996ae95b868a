import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.source.mts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "core",
    environment: "node",
    include: ["src/**/*.test.ts"],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
