/**
 * All @courier-ts/* packages are one `fixed` changesets group: a changeset naming one package bumps
 * every package to the same version, and changesets writes each package's CHANGELOG.md. Runs the real
 * `changeset version` in a scratch copy of the repo's manifests and its pending changesets.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "courier-ts-changesets-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("`changeset version` bumps every @courier-ts package together", () => {
  const packages = readdirSync(join(root, "packages"));
  for (const file of ["package.json", "pnpm-workspace.yaml", ".changeset/config.json"]) {
    cpSync(join(root, file), join(scratch, file));
  }
  // The repo's own pending changesets must be valid input to `changeset version` too.
  const pending = readdirSync(join(root, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
  for (const file of pending) {
    cpSync(join(root, ".changeset", file), join(scratch, ".changeset", file));
  }
  for (const name of packages) {
    cpSync(join(root, "packages", name, "package.json"), join(scratch, "packages", name, "package.json"));
  }
  const version = (name: string) =>
    (JSON.parse(readFileSync(join(scratch, "packages", name, "package.json"), "utf8")) as { version: string }).version;
  const before = packages.map(version);
  expect(new Set(before).size).toBe(1);

  writeFileSync(join(scratch, ".changeset", "core-fix.md"), '---\n"@courier-ts/core": minor\n---\n\nA core change.\n');
  execFileSync("git", ["init", "-q"], { cwd: scratch });
  execFileSync(join(root, "node_modules/.bin/changeset"), ["version"], { cwd: scratch, stdio: "pipe" });

  const after = packages.map(version);
  expect(packages.length).toBeGreaterThanOrEqual(2);
  expect(new Set(after).size).toBe(1);
  const [major, minor] = (before[0] ?? "0.0.0").split(".").map(Number);
  expect(after[0]).toBe(`${major}.${(minor ?? 0) + 1}.0`);

  // Each package's changelog, written by changesets: its name, the new version, and for core the entry.
  for (const name of packages) {
    const changelog = readFileSync(join(scratch, "packages", name, "CHANGELOG.md"), "utf8");
    expect(changelog.startsWith(`# @courier-ts/${name}`)).toBe(true);
    expect(changelog).toContain(`## ${after[0]}`);
  }
  expect(readFileSync(join(scratch, "packages", "core", "CHANGELOG.md"), "utf8")).toContain("A core change.");
});
