import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.source.mts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "react",
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    testTimeout: 30_000,
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
