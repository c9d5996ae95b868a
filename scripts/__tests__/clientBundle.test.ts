/**
 * How the client ships: a thin layer over its two runtime dependencies (`@courier-ts/core` and
 * `openapi-fetch`), with no copy of core inside it, so an app that also imports core (React apps do,
 * through `@courier-ts/react`) carries core once. And a minified bundle still names its errors.
 */
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { NotFoundError as ClientNotFoundError, createCourierClient, unwrap } from "@courier-ts/client";
import { isNotFoundError, NotFoundError } from "@courier-ts/core";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIST = `${ROOT}packages/client/dist/`;
const TMP = `${ROOT}.bench-tmp/minified/`;

let url = "";
const server = createServer((req, res) => {
  if (req.url?.startsWith("/profiles/slow")) {
    setTimeout(() => res.writeHead(200).end("{}"), 5000);
    return;
  }
  res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not found","type":"not_found"}');
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(TMP, { recursive: true, force: true });
});

it("the built client imports core and openapi-fetch, and has no copy of core's errors (ESM and CJS)", () => {
  const esm = readFileSync(`${DIST}index.mjs`, "utf8");
  const cjs = readFileSync(`${DIST}index.cjs`, "utf8");
  const imported = [...esm.matchAll(/^import\s.+?from\s+"([^"]+)"/gm)].map((m) => m[1]);
  const required = [...cjs.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
  for (const specifiers of [imported, required]) {
    expect([...new Set(specifiers)].sort()).toEqual(["@courier-ts/core", "openapi-fetch"]);
  }
  for (const text of [esm, cjs]) {
    expect(text).not.toContain("class CourierApiError");
    expect(text).not.toContain('"NotFoundError"');
  }
});

it("the client's errors are core's classes", async () => {
  expect(ClientNotFoundError).toBe(NotFoundError);
  const courier = createCourierClient({ apiKey: "bundle", baseUrl: url });
  const error = await unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id: "nobody" } } })).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NotFoundError);
  expect(isNotFoundError(error)).toBe(true);
});

it("error names survive minification (esbuild --minify renames the classes)", async () => {
  const outfile = `${TMP}client.min.mjs`;
  await build({
    stdin: {
      contents: `export { createCourierClient, unwrap } from "@courier-ts/client";`,
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "es2022",
    // Bundle the sources, as a user's bundler bundles the published files.
    conditions: ["source"],
    outfile,
    logLevel: "silent",
  });
  const text = readFileSync(outfile, "utf8");
  expect(text).not.toMatch(/class NotFoundError\b/);
  const minified = (await import(pathToFileURL(outfile).href)) as typeof import("@courier-ts/client");
  const courier = minified.createCourierClient({ apiKey: "bundle", baseUrl: url, timeout: 1000, maxRetries: 0 });
  const get = (user_id: string) =>
    minified.unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id } } })).catch((e: unknown) => e);
  const notFound = (await get("nobody")) as Error;
  expect(notFound.constructor.name).not.toBe("NotFoundError");
  expect(notFound.name).toBe("NotFoundError");
  expect(String(notFound)).toBe("NotFoundError: 404 Not found");
  const timeout = (await get("slow")) as Error;
  expect(timeout.name).toBe("TimeoutError");
  expect(timeout.constructor.name).not.toBe("TimeoutError");
  // The minified copy's errors are still recognised by the guards of the package the app imports.
  expect(isNotFoundError(notFound)).toBe(true);
  expect(notFound).toBeInstanceOf(NotFoundError);
});
