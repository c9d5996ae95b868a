import { describe, expect, it } from "vitest";
import { proxyPath, proxyRoutes } from "../index.js";

describe("proxyPath", () => {
  it("fills in and encodes path parameters, so an id cannot add path segments", () => {
    expect(proxyPath("updatePreference", { params: { topicId: "order-updates" } })).toBe("/preferences/order-updates");
    expect(proxyPath("deletePushToken", { params: { token: "../users/bob/tokens/x" } })).toBe(
      "/tokens/..%2Fusers%2Fbob%2Ftokens%2Fx",
    );
    expect(proxyPath("putPushToken", { params: { token: "ExponentPushToken[abc]" } })).toBe(
      "/tokens/ExponentPushToken%5Babc%5D",
    );
  });

  it("writes arrays as repeated keys and leaves out undefined values", () => {
    expect(
      proxyPath("getMessages", {
        query: { status: ["SENT", "DELIVERED"], archived: true, tags: ["a b"], cursor: undefined },
      }),
    ).toBe("/messages?status=SENT&status=DELIVERED&archived=true&tags=a+b");
    expect(proxyPath("getMessages", {})).toBe("/messages");
  });

  it("names every route once, with a method and a path relative to the mount point", () => {
    const seen = new Set<string>();
    for (const { method, path } of Object.values(proxyRoutes)) {
      expect(path.startsWith("/")).toBe(true);
      expect(seen.has(`${method} ${path}`)).toBe(false);
      seen.add(`${method} ${path}`);
    }
  });
});
