/**
 * What the SDK costs the user's machine, side by side with bare openapi-fetch and the official SDK, in
 * one run: consumer type-check time, memory and instantiations (10 and 50 typed calls, with and without
 * skipLibCheck), import time (ESM and CJS), and client CPU per call over an in-process stub fetch.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createCourierClient } from "@courier-ts/client";
import type { paths } from "@courier-ts/core";
import Courier from "@trycourier/courier";
import createClient from "openapi-fetch";
import { type TypecheckFigures as Figures, typecheckConsumer } from "../lib/typecheck.ts";
import { fmt, table } from "./lib.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TMP = `${ROOT}.bench-tmp/typecheck/`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Ten typed calls over the main endpoints, in our client's style and in the official one's. */
const OURS_CALLS = [
  `c.POST("/send", { body: { message: { to: { user_id: "u$" }, template: "T", data: { n: $ } } } })`,
  `c.POST("/profiles/{user_id}", { params: { path: { user_id: "u$" } }, body: { profile: { email: "a@b.c" } } })`,
  `c.GET("/profiles/{user_id}", { params: { path: { user_id: "u$" } } })`,
  `c.PATCH("/profiles/{user_id}", { params: { path: { user_id: "u$" } }, body: { patch: [{ op: "replace", path: "/name", value: "x" }] } })`,
  `c.PUT("/lists/{list_id}", { params: { path: { list_id: "l$" } }, body: { name: "L" } })`,
  `c.POST("/lists/{list_id}/subscriptions", { params: { path: { list_id: "l$" } }, body: { recipients: [{ recipientId: "u$" }] } })`,
  `c.GET("/messages", { params: { query: { recipient: "u$" } } })`,
  `c.POST("/bulk", { body: { message: { event: "E$" } } })`,
  `c.POST("/automations/invoke", { body: { automation: { steps: [{ action: "send", template: "T" }] }, recipient: "u$" } })`,
  `c.GET("/audiences/{audience_id}/members", { params: { path: { audience_id: "a$" } } })`,
];
const OFFICIAL_CALLS = [
  `c.send.message({ message: { to: { user_id: "u$" }, template: "T", data: { n: $ } } })`,
  `c.profiles.create("u$", { profile: { email: "a@b.c" } })`,
  `c.profiles.retrieve("u$")`,
  `c.profiles.update("u$", { patch: [{ op: "replace", path: "/name", value: "x" }] })`,
  `c.lists.update("l$", { name: "L" })`,
  `c.lists.subscriptions.add("l$", { recipients: [{ recipientId: "u$" }] })`,
  `c.messages.list({ recipient: "u$" })`,
  `c.bulk.createJob({ message: { event: "E$" } })`,
  `c.automations.invoke.invokeAdHoc({ automation: { steps: [{ action: "send", template: "T" }] }, recipient: "u$" })`,
  `c.audiences.listMembers("a$")`,
];

function source(kind: "empty" | "ours" | "official", calls: number): string {
  if (kind === "empty") {
    return "export const x = 1;\n";
  }
  const header =
    kind === "ours"
      ? `import { createCourierClient } from "@courier-ts/client";\nconst c = createCourierClient({ apiKey: "k" });\n`
      : `import Courier from "@trycourier/courier";\nconst c = new Courier({ apiKey: "k" });\n`;
  const templates = kind === "ours" ? OURS_CALLS : OFFICIAL_CALLS;
  const body = Array.from(
    { length: calls },
    (_, i) => `export const r${i} = ${(templates[i % templates.length] as string).replaceAll("$", String(i))};`,
  );
  return `${header}${body.join("\n")}\n`;
}

type TypecheckFigures = Pick<Figures, "seconds" | "memoryMb" | "instantiations">;

function typecheck(kind: "empty" | "ours" | "official", calls: number, skipLibCheck: boolean): TypecheckFigures {
  const name = `${kind}-${calls}-${skipLibCheck ? "skip" : "full"}`;
  const runs = [0, 1, 2].map(() => typecheckConsumer(`${TMP}${name}`, source(kind, calls), skipLibCheck));
  return {
    seconds: median(runs.map((r) => r.seconds)),
    memoryMb: median(runs.map((r) => r.memoryMb)),
    instantiations: runs[0]?.instantiations ?? 0,
  };
}

/** Time to load `specifier` in a fresh Node process, as the process itself measures it. */
function importMs(specifier: string, format: "esm" | "cjs"): number {
  const code =
    format === "esm"
      ? `const t=performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now()-t)`
      : `const t=performance.now(); require(${JSON.stringify(specifier)}); console.log(performance.now()-t)`;
  const args = format === "esm" ? ["--input-type=module", "-e", code] : ["-e", code];
  return Number(execFileSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" }).trim());
}

/**
 * A package with one line of code in each format, installed like a dependency: what resolving and
 * loading any package costs Node on this machine, to read the other figures against.
 */
function floorPackage(): string {
  const name = "courier-ts-bench-floor";
  const dir = `${ROOT}node_modules/${name}/`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}package.json`,
    JSON.stringify({ name, exports: { ".": { import: "./index.mjs", require: "./index.cjs" } } }),
  );
  writeFileSync(`${dir}index.mjs`, "export const x = 1;\n");
  writeFileSync(`${dir}index.cjs`, "exports.x = 1;\n");
  return name;
}

/**
 * CPU per call over a stub fetch. `withLength`: the stub's answer carries a Content-Length, as a JSON
 * API's answer (the emulator's, Express's `res.json`) usually does; without, it stands for a chunked one,
 * whose body the client reads through its counting stream.
 */
async function cpuPerCall(withLength: boolean, calls = 50_000) {
  const body = '{"requestId":"1-65f240a0-47a6a120c8374de9bcf9f22a"}';
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (withLength) {
    headers["content-length"] = String(body.length);
  }
  const stub = async () => new Response(body, { status: 202, headers });
  const message = { message: { to: { user_id: "user-1" }, template: "WELCOME", data: { name: "Jane" } } };
  const url = "http://127.0.0.1:1";
  const bare = createClient<paths>({ baseUrl: url, fetch: stub, headers: { Authorization: "Bearer k" } });
  const ours = createCourierClient({ apiKey: "k", baseUrl: url, fetch: stub });
  const official = new Courier({ apiKey: "k", baseURL: url, fetch: stub as never, maxRetries: 0 });
  const candidates: Array<[string, () => Promise<unknown>]> = [
    [
      "raw fetch",
      // Serialize the body as every client must, then read the stub's response.
      async () => {
        JSON.stringify(message);
        return (await stub()).json();
      },
    ],
    ["openapi-fetch (bare)", () => bare.POST("/send", { body: message })],
    ["@courier-ts/client", () => ours.POST("/send", { body: message })],
    ["@trycourier/courier 7.10.2", () => official.send.message(message as never)],
  ];
  const results: Record<string, number> = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, fn] of candidates) {
      for (let i = 0; i < 2000; i++) {
        await fn();
      }
      const started = process.cpuUsage();
      for (let i = 0; i < calls; i++) {
        await fn();
      }
      const used = process.cpuUsage(started);
      const us = (used.user + used.system) / calls;
      results[name] = Math.min(results[name] ?? Number.POSITIVE_INFINITY, us);
    }
  }
  return results;
}

export async function benchCost(): Promise<void> {
  rmSync(TMP, { recursive: true, force: true });
  console.log("\n## Consumer type-check (tsc --extendedDiagnostics, strict, median of 3): added over an empty file");
  const rows = [["variant", "added time", "added memory", "instantiations", "vs official (time, memory)"]];
  for (const skip of [true, false]) {
    const empty = typecheck("empty", 0, skip);
    for (const calls of [10, 50]) {
      const ours = typecheck("ours", calls, skip);
      const official = typecheck("official", calls, skip);
      const add = (f: TypecheckFigures) => ({ s: f.seconds - empty.seconds, mb: f.memoryMb - empty.memoryMb });
      const o = add(ours);
      const off = add(official);
      const label = `${calls} calls, skipLibCheck ${skip}`;
      rows.push([
        `ours, ${label}`,
        `+${fmt(o.s, 2)} s`,
        `+${fmt(o.mb, 1)} MB`,
        fmt(ours.instantiations),
        `${fmt(o.s / off.s, 2)}x, ${fmt(o.mb / off.mb, 2)}x`,
      ]);
      rows.push([
        `official, ${label}`,
        `+${fmt(off.s, 2)} s`,
        `+${fmt(off.mb, 1)} MB`,
        fmt(official.instantiations),
        "1.00x",
      ]);
    }
    rows.push([
      `(empty file, skipLibCheck ${skip})`,
      `${fmt(empty.seconds, 2)} s`,
      `${fmt(empty.memoryMb, 1)} MB`,
      fmt(empty.instantiations),
      "",
    ]);
  }
  console.log(table(rows));

  console.log("\n## Import time (fresh node process, median of 11, runs interleaved)");
  const floor = floorPackage();
  const specifiers = [floor, "openapi-fetch", "@courier-ts/client", "@trycourier/courier"];
  const times = new Map<string, { esm: number[]; cjs: number[] }>(specifiers.map((s) => [s, { esm: [], cjs: [] }]));
  for (let i = 0; i < 11; i++) {
    for (const specifier of specifiers) {
      const t = times.get(specifier) as { esm: number[]; cjs: number[] };
      t.esm.push(importMs(specifier, "esm"));
      t.cjs.push(importMs(specifier, "cjs"));
    }
  }
  const ms = (specifier: string, format: "esm" | "cjs") => median(times.get(specifier)?.[format] ?? []);
  const vsBare = (s: string, format: "esm" | "cjs") => `${fmt(ms(s, format) / ms("openapi-fetch", format), 2)}x`;
  console.log(
    table([
      ["package", "ESM", "CJS", "vs openapi-fetch (ESM, CJS)"],
      ...specifiers.map((s) => [
        s === floor ? "(a one-line package: Node's floor)" : s,
        `${fmt(ms(s, "esm"), 1)} ms`,
        `${fmt(ms(s, "cjs"), 1)} ms`,
        `${vsBare(s, "esm")}, ${vsBare(s, "cjs")}`,
      ]),
    ]),
  );

  for (const withLength of [true, false]) {
    const cpu = await cpuPerCall(withLength);
    const official = cpu["@trycourier/courier 7.10.2"] ?? 1;
    const bare = cpu["openapi-fetch (bare)"] ?? 0;
    const answer = withLength ? "answers with a Content-Length" : "chunked answers (no Content-Length)";
    console.log(`\n## Client CPU per call, in-process stub fetch, ${answer} (50,000 calls, best of 3 rounds)`);
    console.log(
      table([
        ["client", "µs per call", "vs openapi-fetch (bare)", "vs official"],
        ...Object.entries(cpu).map(([k, v]) => [
          k,
          fmt(v, 1),
          `${v >= bare ? "+" : ""}${fmt(v - bare, 1)} µs`,
          `${fmt(v / official, 2)}x`,
        ]),
      ]),
    );
  }
}
