/**
 * Issue 9's CI guard: a consumer file making 10 typed calls through @courier-ts/client must stay
 * cheap to type-check. Type and instantiation counts are deterministic (unlike seconds), so they are
 * the guard; time and memory get generous ceilings. `pnpm bench cost` reports the real comparison.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = `${root}.bench-tmp/typecheck-guard/`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("10 typed calls cost at most 20k instantiations, 10k types, 3 s and 300 MB", () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}index.ts`,
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
  );
  writeFileSync(
    `${dir}tsconfig.json`,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        types: [],
      },
      files: ["index.ts"],
    }),
  );
  const out = execFileSync(
    process.execPath,
    [`${root}node_modules/typescript/bin/tsc`, "-p", dir, "--extendedDiagnostics"],
    {
      encoding: "utf8",
    },
  );
  const figure = (label: string) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(out)?.[1]);
  const figures = {
    instantiations: figure("Instantiations"),
    types: figure("Types"),
    seconds: figure("Total time"),
    memoryMb: figure("Memory used") / 1024,
  };
  console.info(`consumer type-check, 10 calls: ${JSON.stringify(figures)}`);
  expect(figures.instantiations).toBeLessThanOrEqual(20_000);
  expect(figures.types).toBeLessThanOrEqual(10_000);
  expect(figures.seconds).toBeLessThanOrEqual(3);
  expect(figures.memoryMb).toBeLessThanOrEqual(300);
});
