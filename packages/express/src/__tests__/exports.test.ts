import { describe, expect, it } from "vitest";
import * as publicExports from "../index.js";
import * as redisExports from "../redis.js";

// Adding or removing a runtime export changes the public API: update these snapshots on purpose.
describe("runtime exports", () => {
  it("@courier-ts/express", () => {
    expect(Object.keys(publicExports).sort()).toMatchInlineSnapshot(`
      [
        "ROUTING_FIELDS",
        "SIGNATURE_HEADER",
        "courierProfileSync",
        "courierProxy",
        "courierWebhook",
        "createMemoryStore",
        "jsonErrorHandler",
        "signCourierPayload",
        "verifyCourierSignature",
      ]
    `);
  });

  it("@courier-ts/express/redis", () => {
    expect(Object.keys(redisExports).sort()).toMatchInlineSnapshot(`
      [
        "createRedisStore",
      ]
    `);
  });
});
