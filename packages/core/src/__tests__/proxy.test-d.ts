/** The proxy contract's types: parameters come from the path strings, bodies from the contract. */
import { describe, expectTypeOf, it } from "vitest";
import { type PathParams, type ProxyRequest, type ProxyResponse, proxyPath } from "../index.js";

describe("proxy contract types", () => {
  it("derives path parameters from the route's path", () => {
    expectTypeOf<PathParams<"/preferences/:topicId">>().toEqualTypeOf<{ topicId: string }>();
    expectTypeOf<PathParams<"/a/:x/b/:y">>().toMatchTypeOf<{ x: string; y: string }>();
    expectTypeOf<keyof PathParams<"/profile">>().toEqualTypeOf<never>();
  });

  it("requires what a route needs and refuses what it does not take", () => {
    proxyPath("updatePreference", { params: { topicId: "t" } });
    // @ts-expect-error the parameter is topicId
    proxyPath("updatePreference", { params: { id: "t" } });
    // @ts-expect-error the route has a parameter
    proxyPath("deletePushToken", {});
    // @ts-expect-error GET /profile takes no query
    proxyPath("getProfile", { query: { user_id: "bob" } });
    expectTypeOf<ProxyRequest<"updatePreference">["body"]>().toEqualTypeOf<{
      status: "OPTED_IN" | "OPTED_OUT";
      custom_routing?: ("direct_message" | "email" | "push" | "sms" | "webhook" | "inbox")[];
    }>();
    expectTypeOf<ProxyResponse<"issueToken">>().toEqualTypeOf<{ token: string; expiresAt: number }>();
    expectTypeOf<ProxyResponse<"deletePushToken">>().toEqualTypeOf<undefined>();
  });
});
