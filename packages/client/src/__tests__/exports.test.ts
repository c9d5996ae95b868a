import { expect, it } from "vitest";
import * as publicExports from "../index.js";

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
      "InternalServerError",
      "InvalidRequestError",
      "NotFoundError",
      "PermissionDeniedError",
      "RateLimitError",
      "TimeoutError",
      "UnprocessableEntityError",
      "createCourierClient",
      "createIdempotencyKey",
      "isCourierApiError",
      "isCourierError",
      "paginate",
      "paginatePages",
      "unwrap",
    ]
  `);
});
