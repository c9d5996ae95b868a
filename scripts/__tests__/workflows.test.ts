import { describe, expect, it } from "vitest";
import { lintWorkflow, lintWorkflowDir } from "../lib/actionlint.ts";

describe("GitHub workflows", () => {
  it("ci.yml and release.yml lint clean", async () => {
    const { files, problems } = await lintWorkflowDir();
    expect(files.sort()).toEqual(["ci.yml", "release.yml"]);
    expect(problems).toEqual([]);
  });

  it("the linter catches a broken workflow (so a clean result means something)", async () => {
    // A GitHub expression naming a matrix the job does not have.
    const expression = ["$", "{{ matrix.nope }}"].join("");
    const broken = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${expression}\n`;
    const problems = await lintWorkflow(broken, "broken.yml");
    expect(problems.map((p) => p.kind)).toContain("expression");
  });
});
