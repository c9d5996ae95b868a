/**
 * CI guard: a consumer file making 10 typed calls through @courier-ts/client must stay cheap to
 * type-check (see packages/client/src/operationTypes.ts for what makes it cheap). Type and
 * instantiation counts are deterministic, unlike seconds, so they are the guard; `pnpm bench cost`
 * reports the time beside the official SDK's.
 */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { typecheckConsumer } from "../lib/typecheck.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = `${root}.bench-tmp/typecheck-guard/`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("10 typed calls cost at most 1,152 instantiations and 3,710 types", () => {
  const figures = typecheckConsumer(
    dir,
    `import { createCourierClient } from "@courier-ts/client";
const c = createCourierClient({ apiKey: "k" });
export const a = c.POST("/send", { body: { message: { to: { user_id: "u" }, template: "T" } } });
export const b = c.POST("/profiles/{user_id}", { params: { path: { user_id: "u" } }, body: { profile: { email: "e" } } });
export const d = c.GET("/profiles/{user_id}", { params: { path: { user_id: "u" } } });
export const e = c.PATCH("/profiles/{user_id}", { params: { path: { user_id: "u" } }, body: { patch: [{ op: "add", path: "/a", value: 1 }] } });
export const f = c.PUT("/lists/{list_id}", { params: { path: { list_id: "l" } }, body: { name: "L" } });
export const g = c.POST("/lists/{list_id}/subscriptions", { params: { path: { list_id: "l" } }, body: { recipients: [{ recipientId: "u" }] } });
export const h = c.GET("/messages", { params: { query: { recipient: "u" } } });
export const i = c.POST("/bulk", { body: { message: { event: "E" } } });
export const j = c.POST("/automations/invoke", { body: { automation: { steps: [{ action: "send", template: "T" }] } } });
export const k = c.GET("/audiences/{audience_id}/members", { params: { path: { audience_id: "a" } } });
`,
    true,
  );
  console.info(`consumer type-check, 10 calls: ${JSON.stringify(figures)}`);
  // The conditional-type signatures the call maps replaced cost 13.3k instantiations and 6.1k types;
  // openapi-fetch's own generic types, 28.5k. Call maps generic in the call options (`GetCalls<O>`) cost
  // 1,837 and 4,141: TypeScript resolves a method's parameter over every path of the method (its
  // constraint) when it checks the first call, and a generic map is instantiated path by path for it.
  expect(figures.instantiations).toBeLessThanOrEqual(1_152);
  expect(figures.types).toBeLessThanOrEqual(3_710);
});

it("type-checks without errors with skipLibCheck off, so every declaration file the packages ship resolves", () => {
  // typecheckConsumer throws on any tsc error, e.g. a shipped `.d.ts` importing a file left out of `dist/`.
  const figures = typecheckConsumer(
    `${dir}full/`,
    `import { createCourierClient, type CallOptions } from "@courier-ts/client";
import type { GetCalls } from "@courier-ts/core";
const c = createCourierClient({ apiKey: "k" });
const options: CallOptions = { timeout: 1_000, parseAs: "json" };
export const a = c.GET("/profiles/{user_id}", { params: { path: { user_id: "u" } }, ...options });
export type Profile = GetCalls["/profiles/{user_id}"]["data"];
// @ts-expect-error: the call options are typed (were they unresolved, this line would be an error).
c.GET("/brands", { timeout: "soon" });
`,
    false,
  );
  expect(figures.instantiations).toBeGreaterThan(0);
});
