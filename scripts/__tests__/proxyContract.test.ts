/**
 * The proxy contract is defined once (`packages/core/src/proxy.ts`) and both sides compile against it.
 * This changes three routes in a copy of core (a renamed path parameter, a renamed route, a renamed
 * response field) and type-checks the React hooks and the Express proxy against that copy: each change
 * must fail both builds, in the files that use the changed route.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT } from "../lib/spec.ts";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "contract-"));
  cpSync(`${ROOT}packages/core/src`, `${dir}/core`, { recursive: true });
  const file = `${dir}/core/proxy.ts`;
  let source = readFileSync(file, "utf8");
  const change = (from: string, to: string) => {
    expect(source).toContain(from);
    source = source.replaceAll(from, to);
  };
  change('path: "/preferences/:topicId"', 'path: "/preferences/:id"');
  change("deletePushToken", "removePushToken");
  change("  expiresAt: number;", "  expires_at: number;");
  writeFileSync(file, source);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tsc on one package's sources, with `@courier-ts/core` resolved to the changed copy. Returns its errors. */
function typecheck(pkg: "react" | "express"): string {
  const config = `${dir}/tsconfig.${pkg}.json`;
  writeFileSync(
    config,
    JSON.stringify({
      extends: `${ROOT}packages/${pkg}/tsconfig.json`,
      compilerOptions: {
        paths: { "@courier-ts/core": [`${dir}/core/index.ts`] },
        typeRoots: [`${ROOT}packages/${pkg}/node_modules/@types`, `${ROOT}node_modules/@types`],
        noEmit: true,
      },
      include: [`${ROOT}packages/${pkg}/src`],
      exclude: [`${ROOT}packages/${pkg}/src/__tests__`],
    }),
  );
  try {
    execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, "-p", config], { encoding: "utf8" });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout);
  }
}

it("fails the React hooks' build where they use the changed routes", () => {
  const errors = typecheck("react");
  expect(errors).toMatch(/useUpdatePreference\.ts.*error TS/);
  expect(errors).toMatch(/usePushToken\.ts.*error TS/);
  expect(errors).toMatch(/useCourierToken\.ts.*error TS|queries\.ts.*error TS/);
  // Only where the changed routes are used.
  expect(errors).not.toMatch(/useProfile\.ts|useSubscribe\.ts|TS2688/);
});

it("fails the Express proxy's build where it serves the changed routes", () => {
  const errors = typecheck("express");
  expect(errors).toMatch(/preferences\.ts.*error TS/);
  expect(errors).toMatch(/pushTokens\.ts.*error TS/);
  expect(errors).toMatch(/courierToken\.ts.*error TS/);
  expect(errors).not.toMatch(/profileSync\.ts|webhook\.ts|TS2688/);
});
