import { expect, it } from "vitest";
import * as publicExports from "../index.js";
import * as internalExports from "../internal.js";

it("runtime exports stay what users call", () => {
  expect(Object.keys(publicExports).sort()).toMatchInlineSnapshot(`
    [
      "AbortError",
      "AuthenticationError",
      "BadRequestError",
      "ConflictError",
      "ConnectionError",
      "CourierApiError",
      "CourierError",
      "DEFAULT_BASE_URL",
      "EU_BASE_URL",
      "InternalServerError",
      "InvalidRequestError",
      "NotFoundError",
      "PermissionDeniedError",
      "RateLimitError",
      "TimeoutError",
      "UnprocessableEntityError",
      "createIdempotencyKey",
      "isConnectionError",
      "isCourierApiError",
      "isCourierError",
      "isNotFoundError",
      "isRateLimitError",
      "isTimeoutError",
      "proxyPath",
      "proxyRoutes",
    ]
  `);
});

it("the internal entry (for the @courier-ts packages only) stays small", () => {
  expect(Object.keys(internalExports).sort()).toMatchInlineSnapshot(`
    [
      "parseRetryAfter",
      "readEnv",
    ]
  `);
});
