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
    // What the page shows after a click waits on the app server and the emulator: vitest's default of
    // 1 s is short for that on a slow shared 2-core machine.
    expect: { poll: { timeout: 10_000 } },
  },
});
