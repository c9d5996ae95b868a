import { createCourierClient } from "@courier-ts/client";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { type RunningPrism, startPrism } from "../../../../scripts/testing/prism.ts";
import { type Emulator, type EmulatorOptions, startEmulator } from "../index.js";

export const API_KEY = "emulator-test-key";

/** A clock the test moves by hand. */
export function manualClock(start = Date.parse("2026-01-01T00:00:00Z")) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

interface Violation {
  request: string;
  location: string[];
  message: string;
}

/**
 * An emulator per test file (reset before each test) and a client that reaches it through a Prism
 * proxy of the merged spec. Prism is the independent validator: it reports every response that breaks
 * the spec in `sl-violations`, and the file fails if any response did.
 */
export function setup(options: EmulatorOptions = {}) {
  const ctx = {} as {
    emulator: Emulator;
    courier: ReturnType<typeof createCourierClient>;
    violations: Violation[];
    validated: number;
  };
  let prism: RunningPrism;
  beforeAll(async () => {
    ctx.emulator = await startEmulator({ apiKey: API_KEY, ...options });
    prism = await startPrism({ upstream: ctx.emulator.url });
    ctx.violations = [];
    ctx.validated = 0;
    ctx.courier = createCourierClient({
      apiKey: API_KEY,
      baseUrl: prism.url,
      maxRetries: 0,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        ctx.validated++;
        const header = response.headers.get("sl-violations");
        for (const v of header ? (JSON.parse(header) as Array<{ location: string[]; message: string }>) : []) {
          // Request violations are the tests' own deliberately bad requests; responses must be clean.
          if (v.location[0] === "response") {
            ctx.violations.push({
              request: `${init?.method} ${String(input)}`,
              location: v.location,
              message: v.message,
            });
          }
        }
        return response;
      },
    });
  }, 120_000);
  beforeEach(() => ctx.emulator.reset());
  afterAll(async () => {
    await prism?.close();
    await ctx.emulator?.close();
    expect(ctx.violations, "responses that break the spec").toEqual([]);
  });
  return ctx;
}
