import { expect, it } from "vitest";
import * as cli from "../index.js";

it("@courier-ts/cli exports", () => {
  expect(Object.keys(cli).sort()).toEqual(["EXIT", "readUserFile", "run", "userFromCsv", "userProblem"]);
});
