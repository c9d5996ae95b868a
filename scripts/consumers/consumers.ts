/**
 * Type-checks a user's project against the packed packages, in every module mode a TypeScript user can be in
 * (node16 ESM and CommonJS, nodenext, bundler), with React 18 and 19 types and Express 4 and 5 types.
 * Each subpath of each package's `exports` is imported, so a broken export map fails here as it would for users.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packPackages, publicPackages } from "../lib/pack.ts";
import { ROOT } from "../lib/spec.ts";

export const CONSUMER_DIR = `${ROOT}node_modules/.cache/courier-consumers`;

/** The peer sets a user may have: the newest majors and the oldest majors we support. */
export const STACKS = {
  "react19-express5": {
    react: "^19.0.0",
    "react-dom": "^19.0.0",
    "@types/react": "^19.0.0",
    express: "^5.1.0",
    "@types/express": "^5.0.0",
  },
  "react18-express4": {
    react: "^18.3.0",
    "react-dom": "^18.3.0",
    "@types/react": "^18.3.0",
    express: "^4.21.0",
    "@types/express": "^4.17.21",
  },
} as const;
export type Stack = keyof typeof STACKS;

export const MODES = ["node16-esm", "node16-cjs", "nodenext", "bundler"] as const;
export type Mode = (typeof MODES)[number];

interface Subpath {
  specifier: string;
  json: boolean;
  requirable: boolean;
}

/** Every `exports` subpath of every public package (package.json excluded). */
export function subpaths(): Subpath[] {
  return publicPackages().flatMap((dir) => {
    const manifest = JSON.parse(readFileSync(`${ROOT}packages/${dir}/package.json`, "utf8")) as {
      name: string;
      exports: Record<string, unknown>;
    };
    return Object.entries(manifest.exports)
      .filter(([key]) => key !== "./package.json")
      .map(([key, target]) => ({
        specifier: key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`,
        json: key.endsWith(".json"),
        requirable:
          typeof target === "string" || (typeof target === "object" && target !== null && "require" in target),
      }));
  });
}

const USAGE = `
import { createCourierClient, unwrap } from "@courier-ts/client";
import { courierProxy } from "@courier-ts/express";
import express from "express";

const courier = createCourierClient({ apiKey: "key" });
export async function send(): Promise<string> {
  const sent = await unwrap(
    courier.POST("/send", { body: { message: { to: { user_id: "u1" }, template: "WELCOME" } } }),
  );
  return sent.requestId;
}
const app = express();
app.use("/api/courier", courierProxy({ client: courier, getUserId: (req) => req.header("x-user-id") }));
`;

const REACT_USAGE = `
import { CourierProvider, useProfile } from "@courier-ts/react";

function Name() {
  const { data } = useProfile();
  return <span>{JSON.stringify(data ?? null)}</span>;
}
export const App = () => (
  <CourierProvider baseUrl="/api/courier">
    <Name />
  </CourierProvider>
);
`;

function compilerOptions(mode: Mode): Record<string, unknown> {
  const base = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    target: "ES2022",
    types: ["node"],
    jsx: "react-jsx",
  };
  switch (mode) {
    case "node16-esm":
    case "node16-cjs":
      return { ...base, module: "node16", moduleResolution: "node16" };
    case "nodenext":
      return { ...base, module: "nodenext", moduleResolution: "nodenext" };
    case "bundler":
      return { ...base, module: "esnext", moduleResolution: "bundler" };
  }
}

function importsFor(mode: Mode): string {
  const cjs = mode === "node16-cjs";
  return subpaths()
    .filter((s) => !cjs || s.requirable)
    .map((s, i) => {
      if (s.json) {
        // nodenext requires the import attribute Node's ESM needs for JSON; node16 cannot parse one.
        const attribute = mode === "nodenext" ? ` with { type: "json" }` : "";
        return `import json${i} from "${s.specifier}"${attribute};\nvoid json${i};`;
      }
      return `import * as ns${i} from "${s.specifier}";\nvoid ns${i};`;
    })
    .join("\n");
}

/** Packs every package and installs them with each stack's peers (npm, as a user would). */
export function prepareConsumers(): void {
  const tarballs = packPackages(publicPackages(), join(CONSUMER_DIR, "tarballs"));
  for (const [stack, peers] of Object.entries(STACKS)) {
    const dir = join(CONSUMER_DIR, stack);
    mkdirSync(dir, { recursive: true });
    const dependencies: Record<string, string> = {
      ...peers,
      "@tanstack/react-query": "^5.90.0",
      "@types/node": "^20.19.0",
      vitest: "^4.0.0",
    };
    for (const [name, file] of Object.entries(tarballs)) {
      dependencies[name] = `file:${file}`;
    }
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: `consumer-${stack}`, private: true, dependencies }),
    );
    // npm keeps an installed package whose version did not change: drop ours so each run gets this build.
    rmSync(join(dir, "node_modules/@courier-ts"), { recursive: true, force: true });
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], {
      cwd: dir,
      stdio: "pipe",
    });
  }
}

/** Writes the consumer project for `stack` × `mode` and returns tsc's diagnostics (empty when it compiles). */
export function checkConsumer(stack: Stack, mode: Mode): string {
  const dir = join(CONSUMER_DIR, stack, mode);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: mode === "node16-cjs" ? "commonjs" : "module" }));
  writeFileSync(join(dir, "index.ts"), `${importsFor(mode)}\n${USAGE}`);
  writeFileSync(join(dir, "app.tsx"), REACT_USAGE);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: compilerOptions(mode), files: ["index.ts", "app.tsx"] }),
  );
  try {
    execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, "-p", dir], { stdio: "pipe" });
    return "";
  } catch (error) {
    return String((error as { stdout?: Buffer }).stdout ?? error);
  }
}
