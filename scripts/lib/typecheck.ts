/** Type-checks one consumer file the way a user's project would, and reads tsc's own figures. */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { ROOT } from "./spec.ts";

export interface TypecheckFigures {
  seconds: number;
  memoryMb: number;
  types: number;
  instantiations: number;
}

/** Writes `source` as `dir/index.ts` with a strict NodeNext tsconfig and runs `tsc --extendedDiagnostics`. */
export function typecheckConsumer(dir: string, source: string, skipLibCheck: boolean): TypecheckFigures {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/index.ts`, source);
  writeFileSync(
    `${dir}/tsconfig.json`,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        skipLibCheck,
        noEmit: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        types: [],
      },
      files: ["index.ts"],
    }),
  );
  const out = execFileSync(
    process.execPath,
    [`${ROOT}node_modules/typescript/bin/tsc`, "-p", dir, "--extendedDiagnostics"],
    {
      encoding: "utf8",
    },
  );
  const figure = (label: string) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(out)?.[1]);
  return {
    seconds: figure("Total time"),
    memoryMb: figure("Memory used") / 1024,
    types: figure("Types"),
    instantiations: figure("Instantiations"),
  };
}
