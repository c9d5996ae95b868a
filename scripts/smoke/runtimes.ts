/**
 * Runs `smoke.ts` against the packed tarballs of `@courier-ts/core` and `@courier-ts/client` in every runtime
 * the README claims: Node, Bun, Deno, workerd (through Miniflare) and Vercel's edge-runtime. The runtimes come
 * from the npm registry, pinned here, and are installed into `node_modules/.cache/courier-runtimes` together
 * with the tarballs, as a user's project would install them.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, transform } from "esbuild";
import { packPackages } from "../lib/pack.ts";
import { ROOT } from "../lib/spec.ts";
import type { SmokeArgs, SmokeResult } from "./smoke.ts";

/** The runtimes and the exact versions the smoke suite installs. */
export const RUNTIME_PACKAGES = {
  "@oven/bun-linux-x64": "1.4.4",
  "@deno/linux-x64-glibc": "2.9.6",
  // Miniflare 4 needs Node 22; 3.x runs on Node 20 and embeds the same workerd.
  miniflare: "3.20250718.3",
  "edge-runtime": "4.0.1",
} as const;

export const RUNTIMES = ["node", "bun", "deno", "workerd", "edge-runtime"] as const;
export type Runtime = (typeof RUNTIMES)[number];

export const TOOL_DIR = `${ROOT}node_modules/.cache/courier-runtimes`;
const PACKED = ["core", "client"] as const;

/** Packs core and client (as `pnpm pack` publishes them) and installs them beside the pinned runtimes. */
export async function prepare(): Promise<void> {
  mkdirSync(TOOL_DIR, { recursive: true });
  const tarballs = packPackages(PACKED, join(TOOL_DIR, "tarballs"));
  const deps: Record<string, string> = { ...RUNTIME_PACKAGES };
  for (const [name, file] of Object.entries(tarballs)) {
    deps[name] = `file:${file}`;
  }
  writeFileSync(
    join(TOOL_DIR, "package.json"),
    `${JSON.stringify({ name: "courier-runtimes", private: true, type: "module", dependencies: deps }, null, 2)}\n`,
  );
  // npm keeps an installed package whose version did not change: drop ours so each run gets this build.
  rmSync(join(TOOL_DIR, "node_modules/@courier-ts"), { recursive: true, force: true });
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], {
    cwd: TOOL_DIR,
    stdio: "pipe",
  });
  // Node, Bun and Deno run the smoke module as the user's own code, importing the installed client.
  const { code } = await transform(readFileSync(new URL("./smoke.ts", import.meta.url), "utf8"), {
    loader: "ts",
    format: "esm",
  });
  writeFileSync(join(TOOL_DIR, "smoke.mjs"), code);
}

/** workerd and edge-runtime take one bundled module, built the way a user's bundler would (worker conditions). */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    stdin: { contents: entry, resolveDir: TOOL_DIR, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["worker", "browser", "import"],
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text as string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: TOOL_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}

/** Runs the smoke in `runtime` and returns what it reported. */
export async function runSmoke(runtime: Runtime, args: SmokeArgs): Promise<SmokeResult> {
  const script = `import { smoke } from "./smoke.mjs";\nconsole.log(JSON.stringify(await smoke(${JSON.stringify(args)})));\n`;
  const entry = join(TOOL_DIR, `entry-${runtime}.mjs`);
  const bin = join(TOOL_DIR, "node_modules");
  switch (runtime) {
    case "node":
    case "bun":
    case "deno": {
      writeFileSync(entry, script);
      const out =
        runtime === "node"
          ? await run(process.execPath, [entry])
          : runtime === "bun"
            ? await run(join(bin, "@oven/bun-linux-x64/bin/bun"), [entry])
            : // No --allow-env: reading COURIER_API_KEY must not throw where env access is denied.
              await run(
                join(bin, "@deno/linux-x64-glibc/deno"),
                ["run", "--allow-net", `--allow-read=${TOOL_DIR}`, entry],
                {
                  ...process.env,
                  DENO_DIR: join(TOOL_DIR, ".deno"),
                  DENO_NO_UPDATE_CHECK: "1",
                },
              );
      return JSON.parse(out.trim().split("\n").at(-1) as string) as SmokeResult;
    }
    case "edge-runtime": {
      const code = await bundle(
        `import { smoke } from "./smoke.mjs";\nglobalThis.__smoke = () => smoke(${JSON.stringify(args)});\n`,
      );
      const { EdgeRuntime } = (await import(join(bin, "edge-runtime/dist/index.js"))) as {
        EdgeRuntime: new (options: { initialCode: string }) => { evaluate(code: string): Promise<unknown> };
      };
      // The edge runtime evaluates scripts, not modules: strip the (empty) ESM export tail of the bundle.
      const runtimeVm = new EdgeRuntime({ initialCode: code.replace(/export\s*\{\s*\};?\s*$/, "") });
      return (await runtimeVm.evaluate("globalThis.__smoke()")) as SmokeResult;
    }
    case "workerd": {
      const code = await bundle(
        `import { smoke } from "./smoke.mjs";\nexport default { async fetch() { return Response.json(await smoke(${JSON.stringify(args)})); } };\n`,
      );
      const { Miniflare } = (await import(join(bin, "miniflare/dist/src/index.js"))) as {
        Miniflare: new (
          options: Record<string, unknown>,
        ) => {
          dispatchFetch(url: string): Promise<Response>;
          dispose(): Promise<void>;
        };
      };
      const mf = new Miniflare({ modules: true, script: code, compatibilityDate: "2024-09-23" });
      try {
        const response = await mf.dispatchFetch("http://smoke.local/");
        const text = await response.text();
        if (!response.ok) {
          throw new Error(`workerd answered ${response.status}: ${text.slice(0, 2000)}`);
        }
        return JSON.parse(text) as SmokeResult;
      } finally {
        await mf.dispose();
      }
    }
  }
}
