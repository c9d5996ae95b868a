/**
 * `pnpm size`: browser bundle size of "create a client + one send", minified and gzipped, built by
 * esbuild in this run for @courier-ts/client, bare openapi-fetch (the same call, no reliability) and
 * the official @trycourier/courier (baseline only). The client is openapi-fetch plus its own `fetch`;
 * CI fails when that costs more than ALLOWANCE_GZIP bytes over bare openapi-fetch, or more than
 * MAX_VS_OFFICIAL times the official bundle, both measured in this run.
 */
const ALLOWANCE_GZIP = 2_700;
const MAX_VS_OFFICIAL = 0.45;
/**
 * The whole main entry of @courier-ts/react (core included, React and TanStack Query excluded): at most 8 kB gzip.
 * Its typed generic hooks (`@courier-ts/react/api`, with the client) are measured beside it, without a ceiling.
 */
const REACT_CEILING_GZIP = 8_000;

import { statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { packPackages, publicPackages } from "./lib/pack.ts";

interface Entry {
  name: string;
  code: string;
}

const send = `{ message: { to: { user_id: "u1" }, template: "T" } }`;
const entries: Entry[] = [
  {
    name: "@courier-ts/client",
    code: `import { createCourierClient } from "@courier-ts/client";
const courier = createCourierClient({ apiKey: "k", baseUrl: "https://api.courier.com" });
courier.POST("/send", { body: ${send} }).then(console.log);`,
  },
  {
    name: "openapi-fetch (bare)",
    code: `import createClient from "openapi-fetch";
const courier = createClient({ baseUrl: "https://api.courier.com", headers: { Authorization: "Bearer k" } });
courier.POST("/send", { body: ${send} }).then(console.log);`,
  },
  {
    name: "@trycourier/courier 7.10.2",
    code: `import Courier from "@trycourier/courier";
const courier = new Courier({ apiKey: "k" });
courier.send.message(${send}).then(console.log);`,
  },
];

async function measure(entry: Entry, external: string[] = []): Promise<{ min: number; gzip: number }> {
  const result = await build({
    external,
    stdin: { contents: entry.code, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const [ours, bare, official] = await Promise.all(entries.map((entry) => measure(entry)));
if (!ours || !bare || !official) {
  throw new Error("size: a bundle failed");
}
const row = (name: string, size: { min: number; gzip: number }) =>
  `${name.padEnd(28)} ${String(size.min).padStart(7)} B min  ${String(size.gzip).padStart(6)} B gzip`;
console.log("## Browser bundle: create a client + one send (esbuild, minified, gzip -9)");
for (const [entry, size] of [
  [entries[0], ours],
  [entries[1], bare],
  [entries[2], official],
] as const) {
  console.log(row(entry?.name ?? "", size));
}
const overBare = ours.gzip - bare.gzip;
const ratio = ours.gzip / official.gzip;
const ceiling = Math.min(bare.gzip + ALLOWANCE_GZIP, Math.floor(official.gzip * MAX_VS_OFFICIAL));
console.log(`ours over bare openapi-fetch: +${overBare} B gzip (allowed +${ALLOWANCE_GZIP})`);
console.log(`ours / official (gzip): ${ratio.toFixed(3)} (allowed ${MAX_VS_OFFICIAL})`);
console.log(`ceiling this run: ${ours.gzip} B <= ${ceiling} B gzip`);

const peers = ["react", "react-dom", "react/jsx-runtime", "@tanstack/react-query"];
const react = await measure({ name: "@courier-ts/react", code: `export * from "@courier-ts/react";` }, peers);
const reactApi = await measure(
  { name: "@courier-ts/react/api", code: `export * from "@courier-ts/react/api";` },
  peers,
);
console.log(`\n## @courier-ts/react, whole entries (peers react and @tanstack/react-query excluded; core included)`);
console.log(row("@courier-ts/react", react));
console.log(row("@courier-ts/react/api", reactApi), " (the client included; no ceiling)");
console.log(`ceiling: ${react.gzip} B <= ${REACT_CEILING_GZIP} B gzip`);
if (react.gzip > REACT_CEILING_GZIP) {
  console.error("size check failed: @courier-ts/react grew above its ceiling");
  process.exitCode = 1;
}
// What `npm install` downloads: each package's tarball as `pnpm pack` makes it for publishing.
console.log("\n## Package tarballs (pnpm pack)");
const tarballs = packPackages(publicPackages(), join(tmpdir(), `courier-ts-size-${process.pid}`));
for (const [name, file] of Object.entries(tarballs)) {
  console.log(`${name.padEnd(28)} ${String(statSync(file).size).padStart(7)} B packed`);
}
if (ours.gzip > ceiling) {
  console.error("size check failed: @courier-ts/client grew above its ceiling");
  process.exit(1);
}
