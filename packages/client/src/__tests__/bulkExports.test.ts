import { expect, it } from "vitest";
import * as bulk from "../bulk/index.js";

it("@courier-ts/client/bulk exports", () => {
  expect(Object.keys(bulk).sort()).toEqual(["BulkSendError", "sendBulk"]);
});
