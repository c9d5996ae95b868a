import type { components } from "@courier-ts/core";
import { describe, expectTypeOf, it } from "vitest";
import { createCourierClient, type PageItem } from "../index.js";

const courier = createCourierClient({ apiKey: "k", baseUrl: "http://127.0.0.1:1" });

describe("request and response types come from the spec", () => {
  it("types the /send body and response", async () => {
    const { data, error } = await courier.POST("/send", {
      body: { message: { to: { user_id: "u1" }, template: "T" } },
    });
    expectTypeOf(data).toEqualTypeOf<components["schemas"]["SendMessageResponse"] | undefined>();
    expectTypeOf<NonNullable<typeof error>>().toHaveProperty("message");
    const profile = await courier.GET("/profiles/{user_id}", { params: { path: { user_id: "u" } } });
    expectTypeOf<NonNullable<typeof profile.error>>().toHaveProperty("message");
    expectTypeOf<NonNullable<typeof profile.data>>().toHaveProperty("profile");
  });

  it("rejects a wrong body", () => {
    // @ts-expect-error `message` is required
    void courier.POST("/send", { body: { mesage: {} } });
    // @ts-expect-error `profile` must be an object
    void courier.POST("/profiles/{user_id}", { params: { path: { user_id: "u" } }, body: { profile: "x" } });
    // @ts-expect-error PUT /lists/{list_id} needs `name`
    void courier.PUT("/lists/{list_id}", { params: { path: { list_id: "l" } }, body: { title: "x" } });
  });

  it("rejects a missing path parameter and an unknown path", () => {
    // @ts-expect-error `params.path.user_id` is required
    void courier.GET("/profiles/{user_id}", {});
    // @ts-expect-error init with path params is required
    void courier.GET("/profiles/{user_id}");
    // @ts-expect-error no such path
    void courier.GET("/profile/{user_id}", { params: { path: { user_id: "u" } } });
    // @ts-expect-error GET is not an operation of /send
    void courier.GET("/send");
  });

  it("types per-call options", () => {
    void courier.POST("/send", {
      body: { message: { template: "T" } },
      maxRetries: 0,
      timeout: 1000,
      idempotencyKey: "key",
      signal: AbortSignal.timeout(1000),
    });
    // @ts-expect-error maxRetries is a number
    void courier.POST("/send", { body: { message: { template: "T" } }, maxRetries: "3" });
  });

  it("types paginated items", () => {
    expectTypeOf<PageItem<"/lists">>().toEqualTypeOf<components["schemas"]["SubscriptionList"]>();
    expectTypeOf<PageItem<"/messages">>().toEqualTypeOf<components["schemas"]["MessageDetails"]>();
  });
});
