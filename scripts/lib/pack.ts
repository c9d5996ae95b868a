/** Packs workspace packages exactly as `pnpm publish` would (workspace: ranges replaced), for consumer tests. */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { ROOT } from "./spec.ts";

/** The pnpm version `packageManager` pins. */
export function pnpmVersion(): string {
  const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { packageManager: string };
  return manifest.packageManager.split("@")[1] as string;
}

/** Every publishable package folder under `packages/`. */
export function publicPackages(): string[] {
  return readdirSync(`${ROOT}packages`).filter((dir) => {
    try {
      const manifest = JSON.parse(readFileSync(`${ROOT}packages/${dir}/package.json`, "utf8")) as { private?: boolean };
      return manifest.private !== true;
    } catch {
      return false;
    }
  });
}

/**
 * Packs `packages/<dir>` for each of `dirs` into `dest` (emptied first) and returns package name → tarball path.
 * Each package must already be built.
 */
export function packPackages(dirs: readonly string[], dest: string): Record<string, string> {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const tarballs: Record<string, string> = {};
  for (const dir of dirs) {
    const before = new Set(readdirSync(dest));
    execFileSync("npx", ["--yes", `pnpm@${pnpmVersion()}`, "pack", "--pack-destination", dest], {
      cwd: `${ROOT}packages/${dir}`,
      stdio: "pipe",
    });
    const file = readdirSync(dest).find((f) => !before.has(f)) as string;
    const { name } = JSON.parse(readFileSync(`${ROOT}packages/${dir}/package.json`, "utf8")) as { name: string };
    tarballs[name] = `${dest}/${file}`;
  }
  return tarballs;
}
