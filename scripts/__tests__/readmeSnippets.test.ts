import { describe, expect, it } from "vitest";
import { checkSnippets, readmes, snippetsOf } from "../lib/readmeSnippets.ts";

describe("README code blocks", () => {
  it("finds the TypeScript blocks of every README", () => {
    expect(readmes()).toContain("README.md");
    expect(readmes().flatMap(snippetsOf).length).toBeGreaterThan(5);
  });

  it("every ts/tsx block compiles as written", () => {
    const { problems } = checkSnippets();
    expect(problems.map((p) => `${p.readme}:${p.line}: ${p.message}`)).toEqual([]);
  }, 120_000);
});
