/**
 * `pnpm size`: browser bundle size of "create a client + one send", minified and gzipped, for
 * @courier-ts/client and the official @trycourier/courier (baseline only), built by esbuild in this run.
 * The target is 1/5 of the official bundle (about 2.35 kB gzip); the client now has its own
 * request path instead of openapi-fetch's (about 2.6 kB gzip alone, printed for reference) and is at
 * about 4.6 kB. The target is reported, and CI guards a regression ceiling: ours must stay under
 * CEILING_GZIP bytes.
 */
const CEILING_GZIP = 5_500;
/** The whole of @courier-ts/react (client and core included, React and TanStack Query excluded): at most 8 kB gzip. */
const REACT_CEILING_GZIP = 8_000;

import { gzipSync } from "node:zlib";
import { build } from "esbuild";

interface Entry {
  name: string;
  code: string;
}

const entries: Entry[] = [
  {
    name: "@courier-ts/client",
    code: `import { createCourierClient } from "@courier-ts/client";
const courier = createCourierClient({ apiKey: "k", baseUrl: "https://api.courier.com" });
courier.POST("/send", { body: { message: { to: { user_id: "u1" }, template: "T" } } }).then(console.log);`,
  },
  {
    name: "@trycourier/courier 7.10.2",
    code: `import Courier from "@trycourier/courier";
const courier = new Courier({ apiKey: "k" });
courier.send.message({ message: { to: { user_id: "u1" }, template: "T" } }).then(console.log);`,
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

const [ours, official] = await Promise.all(entries.map((entry) => measure(entry)));
if (!ours || !official) {
  throw new Error("size: a bundle failed");
}
const ratio = ours.gzip / official.gzip;
console.log("## Browser bundle: create a client + one send (esbuild, minified, gzip -9)");
for (const [entry, size] of [
  [entries[0], ours],
  [entries[1], official],
] as const) {
  console.log(
    `${entry?.name.padEnd(28)} ${String(size.min).padStart(7)} B min  ${String(size.gzip).padStart(6)} B gzip`,
  );
}
const openapiFetch = await measure({
  name: "openapi-fetch alone",
  code: `import createClient from "openapi-fetch"; createClient({ baseUrl: "x" }).POST("/send", { body: {} }).then(console.log);`,
});
console.log(
  `${"(openapi-fetch alone)".padEnd(28)} ${String(openapiFetch.min).padStart(7)} B min  ${String(openapiFetch.gzip).padStart(6)} B gzip`,
);
console.log(
  `ratio (ours / official, gzip): ${ratio.toFixed(3)} (issue target <= 0.200: ${ratio <= 0.2 ? "met" : "NOT met"})`,
);
console.log(`regression ceiling: ${ours.gzip} B <= ${CEILING_GZIP} B gzip`);
const react = await measure(
  {
    name: "@courier-ts/react",
    code: `export * from "@courier-ts/react";`,
  },
  ["react", "react-dom", "react/jsx-runtime", "@tanstack/react-query"],
);
console.log(
  `\n## @courier-ts/react, whole package (peers react and @tanstack/react-query excluded; the client included)`,
);
console.log(
  `${"@courier-ts/react".padEnd(28)} ${String(react.min).padStart(7)} B min  ${String(react.gzip).padStart(6)} B gzip`,
);
console.log(`ceiling: ${react.gzip} B <= ${REACT_CEILING_GZIP} B gzip`);
if (react.gzip > REACT_CEILING_GZIP) {
  console.error("size check failed: @courier-ts/react grew above its ceiling");
  process.exitCode = 1;
}
if (ours.gzip > CEILING_GZIP) {
  console.error("size check failed: @courier-ts/client grew above its ceiling");
  process.exit(1);
}
