/**
 * The published client is one file: core's runtime is bundled into it (issue 9: one module loads in
 * about a millisecond less than two). These tests hold the two consequences: the built client loads no
 * other package at run time, and its errors are still `instanceof` core's classes, which express, react
 * and users import.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NotFoundError as ClientNotFoundError, createCourierClient, unwrap } from "@courier-ts/client";
import { CourierApiError, CourierError, isNotFoundError, NotFoundError, TimeoutError } from "@courier-ts/core";
import { type Emulator, startEmulator } from "@courier-ts/emulator";
import { afterAll, beforeAll, expect, it } from "vitest";

const DIST = fileURLToPath(new URL("../../packages/client/dist/", import.meta.url));

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ apiKey: "bundle" });
});
afterAll(() => emulator.close());

it("the built client imports nothing but itself at run time (ESM and CJS)", () => {
  const esm = readFileSync(`${DIST}index.mjs`, "utf8");
  const cjs = readFileSync(`${DIST}index.cjs`, "utf8");
  expect(esm).not.toMatch(/^\s*import\s.+from\s/m);
  expect(esm).not.toMatch(/\bimport\(/);
  expect(cjs).not.toMatch(/\brequire\(/);
});

it("errors thrown by the bundled client are instanceof core's classes, and the reverse", async () => {
  const courier = createCourierClient({ apiKey: "bundle", baseUrl: emulator.url });
  const error = await unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id: "nobody" } } })).catch(
    (e: unknown) => e,
  );
  // Two copies of the class: the client's and core's.
  expect(ClientNotFoundError).not.toBe(NotFoundError);
  expect(error).toBeInstanceOf(ClientNotFoundError);
  expect(error).toBeInstanceOf(NotFoundError);
  expect(error).toBeInstanceOf(CourierApiError);
  expect(error).toBeInstanceOf(CourierError);
  expect(error).not.toBeInstanceOf(TimeoutError);
  expect(isNotFoundError(error)).toBe(true);

  const fromCore = CourierApiError.from(new Response(null, { status: 404 }), { message: "gone" });
  expect(fromCore).toBeInstanceOf(ClientNotFoundError);
});
