// @vitest-environment node
/**
 * The README examples (this package's and the repository's) are the files in ./readme/, which the
 * package's type-check compiles: each ```tsx block must be one of them, word for word (with the package's
 * import paths).
 */
import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";

const dir = new URL("./readme/", import.meta.url);
const readmes = ["../../README.md", "../../../../README.md"].map((path) =>
  readFileSync(new URL(path, import.meta.url), "utf8"),
);

it("shows only examples that compile", () => {
  const examples = readdirSync(dir)
    .filter((file) => file.endsWith(".tsx"))
    .map((file) =>
      readFileSync(new URL(file, dir), "utf8")
        .replaceAll('from "../../index.js";', 'from "@courier-ts/react";')
        .replaceAll('from "../../server.js";', 'from "@courier-ts/react/server";')
        .replaceAll('from "../../typedApi.js";', 'from "@courier-ts/react/api";'),
    );
  const blocks = readmes.flatMap((readme) => [...readme.matchAll(/```tsx\n([\s\S]*?)```/g)].map((m) => m[1]));
  expect(blocks.length).toBeGreaterThanOrEqual(4);
  for (const block of blocks) {
    expect(examples).toContain(block);
  }
});
