/** The hooks' client is typed by the shared proxy contract: a call that does not match a route fails to compile. */
import type { CourierTokenResponse, PreferencesResponse } from "@courier-ts/core";
import { describe, expectTypeOf, it } from "vitest";
import { createProxyApi } from "../index.js";

const api = createProxyApi();

describe("ProxyApi.call", () => {
  it("answers with the route's response type", () => {
    expectTypeOf(api.call("getPreferences", {})).resolves.toEqualTypeOf<PreferencesResponse>();
    expectTypeOf(api.call("issueToken", {})).resolves.toEqualTypeOf<CourierTokenResponse>();
    expectTypeOf(api.call("deletePushToken", { params: { token: "t" } })).resolves.toEqualTypeOf<undefined>();
  });

  it("refuses unknown routes, wrong params, missing bodies and bodies a route does not take", () => {
    // @ts-expect-error no such route
    api.call("deleteProfile", {});
    // @ts-expect-error the parameter is topicId
    api.call("updatePreference", { params: { id: "t" }, body: { status: "OPTED_IN" } });
    // @ts-expect-error a REQUIRED status cannot be sent
    api.call("updatePreference", { params: { topicId: "t" }, body: { status: "REQUIRED" } });
    // @ts-expect-error putPushToken needs a body with provider_key
    api.call("putPushToken", { params: { token: "t" } });
    // @ts-expect-error GET /preferences takes no body
    api.call("getPreferences", { body: { user_id: "bob" } });
    // @ts-expect-error filters are typed
    api.call("getMessages", { query: { recipient: "bob" } });
  });
});
