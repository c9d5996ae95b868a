/**
 * The README's examples compile as written: every ```ts block is type-checked as its own module, with
 * `@courier-ts/express` (and `/redis`) resolved to this package's sources.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it("type-check as written", { timeout: 120_000 }, () => {
    // Virtual files beside the sources, so that packages resolve from this package's node_modules.
    const files = new Map(blocks.map((code, i) => [join(root, "src", `__readme_${i}.ts`), code]));
    const { config } = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
    const options: ts.CompilerOptions = {
      ...parsed.options,
      noEmit: true,
      baseUrl: root,
      paths: {
        "@courier-ts/express": ["./src/index.ts"],
        "@courier-ts/express/redis": ["./src/redis.ts"],
      },
    };
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
    host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
    host.getSourceFile = (name, language, ...rest) => {
      const code = files.get(name);
      return code === undefined
        ? getSourceFile.call(host, name, language, ...rest)
        : ts.createSourceFile(name, code, language, true, ts.ScriptKind.TS);
    };
    const program = ts.createProgram([...files.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.has(d.file.fileName))
      .map((d) => {
        const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const block = d.file ? d.file.fileName.replace(/.*__readme_(\d+)\.ts$/, "block $1") : "";
        return `${block}:${(where?.line ?? 0) + 1} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
    expect(problems).toEqual([]);
  });
});
