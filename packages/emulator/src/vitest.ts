import { afterAll, beforeAll, beforeEach } from "vitest";
import { type Emulator, type EmulatorOptions, startEmulator } from "./server.js";

/**
 * Starts an emulator for the current test file, resets it before every test and stops it afterwards.
 * Read `.current` inside tests (it is set once `beforeAll` has run).
 *
 * @example
 * ```ts
 * import { useEmulator } from "@courier-ts/emulator/vitest";
 * const emulator = useEmulator({ apiKey: "test" });
 * it("sends", async () => {
 *   const courier = createCourierClient({ apiKey: "test", baseUrl: emulator.current.url });
 *   await courier.POST("/send", { body: { message: { to: { user_id: "u1" }, template: "T" } } });
 *   expect(emulator.current.stats().messages).toBe(1);
 * });
 * ```
 */
export function useEmulator(options: EmulatorOptions = {}): { readonly current: Emulator } {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
  });
  beforeEach(() => {
    emulator?.reset();
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return {
    get current(): Emulator {
      if (!emulator) {
        throw new Error("useEmulator(): the emulator is only available inside tests (after beforeAll)");
      }
      return emulator;
    },
  };
}
