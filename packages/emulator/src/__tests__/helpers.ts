import { createCourierClient } from "@courier-ts/client";
import { afterAll, beforeAll, beforeEach } from "vitest";
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

/** An emulator per test file (reset before each test) and a client pointed at it. */
export function setup(options: EmulatorOptions = {}) {
  const ctx = {} as { emulator: Emulator; courier: ReturnType<typeof createCourierClient> };
  beforeAll(async () => {
    ctx.emulator = await startEmulator({ apiKey: API_KEY, ...options });
    ctx.courier = createCourierClient({ apiKey: API_KEY, baseUrl: ctx.emulator.url, maxRetries: 0 });
  });
  beforeEach(() => ctx.emulator.reset());
  afterAll(() => ctx.emulator.close());
  return ctx;
}
