// `pnpm lint:workflows`: actionlint over .github/workflows; exits 1 on any problem.
import { lintWorkflowDir } from "./lib/actionlint.ts";

const { files, problems } = await lintWorkflowDir();
for (const p of problems) {
  process.stderr.write(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]\n`);
}
process.stdout.write(`actionlint: ${files.length} workflow files, ${problems.length} problems\n`);
process.exit(problems.length > 0 || files.length === 0 ? 1 : 0);
