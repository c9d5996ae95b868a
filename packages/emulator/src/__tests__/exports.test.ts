import { expect, it } from "vitest";
import * as main from "../index.js";
import * as vitestEntry from "../vitest.js";

it("exports exactly the public API", () => {
  expect(Object.keys(main).sort()).toMatchInlineSnapshot(`
    [
      "ALL_FAULTS",
      "DEFAULT_MAX_DEPTH",
      "DEFAULT_RETENTION",
      "SeedError",
      "audiencesOf",
      "automationsOf",
      "bulkOf",
      "idempotencyOf",
      "listsOf",
      "messagesOf",
      "profilesOf",
      "readSeedFile",
      "signWebhook",
      "startEmulator",
    ]
  `);
  expect(Object.keys(vitestEntry).sort()).toMatchInlineSnapshot(`
    [
      "useEmulator",
    ]
  `);
});
