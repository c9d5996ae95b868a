import { beforeAll, describe, expect, it } from "vitest";
import { checkConsumer, MODES, prepareConsumers, STACKS, type Stack, subpaths } from "../consumers/consumers.ts";

beforeAll(() => {
  prepareConsumers();
}, 600_000);

describe("a user's project type-checks against the packed packages", () => {
  it("imports every exports subpath", () => {
    expect(subpaths().map((s) => s.specifier)).toEqual(
      expect.arrayContaining(["@courier-ts/core", "@courier-ts/client", "@courier-ts/react", "@courier-ts/express"]),
    );
  });

  describe.each(Object.keys(STACKS) as Stack[])("%s", (stack) => {
    it.each(MODES)("moduleResolution %s", (mode) => {
      expect(checkConsumer(stack, mode)).toBe("");
    });
  });
});
