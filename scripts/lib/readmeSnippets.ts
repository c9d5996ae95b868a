/**
 * Type-checks every fenced code block that says it is TypeScript (```ts, ```tsx, ```typescript) in the root
 * and package READMEs, each as its own module, the way a user pasting it into a strict project would.
 * Nothing is added around a block: a snippet that needs `app` or `requireAuth` declares them itself.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { ROOT } from "./spec.ts";

export interface Snippet {
  /** README path relative to the repo root. */
  readme: string;
  /** 1-based line of the block's first code line in the README. */
  line: number;
  lang: "ts" | "tsx";
  code: string;
}

export interface SnippetProblem {
  readme: string;
  /** Line in the README. */
  line: number;
  message: string;
}

const FENCE = /^```(ts|tsx|typescript)\s*$/;

/** The READMEs whose TypeScript blocks are checked. */
export function readmes(): string[] {
  const packages = readdirSync(`${ROOT}packages`).map((p) => `packages/${p}/README.md`);
  return ["README.md", ...packages].filter((p) => {
    try {
      readFileSync(`${ROOT}${p}`);
      return true;
    } catch {
      return false;
    }
  });
}

export function snippetsOf(readme: string): Snippet[] {
  const lines = readFileSync(`${ROOT}${readme}`, "utf8").split("\n");
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) {
      continue;
    }
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] as string).startsWith("```")) {
      end++;
    }
    snippets.push({
      readme,
      line: start + 1,
      lang: open[1] === "tsx" ? "tsx" : "ts",
      code: lines.slice(start, end).join("\n"),
    });
    i = end;
  }
  return snippets;
}

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  jsx: ts.JsxEmit.ReactJSX,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["node"],
};

/** Compiles every snippet of `files` in one program and maps each diagnostic back to its README line. */
export function checkSnippets(files: string[] = readmes()): { snippets: number; problems: SnippetProblem[] } {
  // Inside the repo's node_modules, so the snippets resolve the workspace packages as an app would.
  const dir = `${ROOT}node_modules/.cache/readme-snippets`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, Snippet>();
  for (const snippet of files.flatMap(snippetsOf)) {
    const file = join(dir, `${snippet.readme.replace(/[/.]/g, "_")}_${snippet.line}.${snippet.lang}`);
    writeFileSync(file, snippet.code);
    byFile.set(file, snippet);
  }
  const program = ts.createProgram([...byFile.keys()], OPTIONS);
  const problems: SnippetProblem[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const snippet = diagnostic.file ? byFile.get(diagnostic.file.fileName) : undefined;
    const offset =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : 0;
    problems.push({
      readme: snippet?.readme ?? diagnostic.file?.fileName ?? "(program)",
      line: (snippet?.line ?? 0) + offset,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
    });
  }
  return { snippets: byFile.size, problems };
}
