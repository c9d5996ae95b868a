// @vitest-environment node
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("exports a small named API", async () => {
  expect(Object.keys(await import("../index.js")).sort()).toEqual([
    "CourierProvider",
    "courierKeys",
    "courierQueries",
    "createProxyApi",
    "useCourierApi",
    "useCourierToken",
    "useListSubscriptions",
    "useMessage",
    "useMessages",
    "usePreferences",
    "useProfile",
    "useRegisterPushToken",
    "useSendToSelf",
    "useSubscribe",
    "useUnregisterPushToken",
    "useUnsubscribe",
    "useUpdatePreference",
    "useUpdateProfile",
  ]);
  expect(Object.keys(await import("../typedApi.js")).sort()).toEqual([
    "useCourierClient",
    "useCourierMutation",
    "useCourierQuery",
  ]);
  expect(Object.keys(await import("../server.js")).sort()).toEqual(["courierKeys", "courierQueries", "createProxyApi"]);
});

const dist = (file: string) => readFileSync(fileURLToPath(new URL(`../../dist/${file}`, import.meta.url)), "utf8");

it('marks the hooks bundles "use client" and leaves the server entry callable from server components', () => {
  for (const file of ["index.mjs", "index.cjs", "api.mjs", "api.cjs"]) {
    expect(dist(file).startsWith('"use client";')).toBe(true);
  }
  for (const file of ["server.mjs", "server.cjs"]) {
    expect(dist(file)).not.toContain("use client");
    expect(dist(file)).not.toMatch(/from "react"|require\("react"\)/);
  }
});

it("keeps the typed client out of the main entry: only `@courier-ts/react/api` loads it", () => {
  const imports = (file: string) =>
    [...dist(file).matchAll(/(?:from |require\()["']([^"']+)["']/g)].map((m) => m[1] ?? "");
  for (const entry of ["index.mjs", "index.cjs"]) {
    // The entry and the chunks it shares with `/api` (the context).
    const chunks = imports(entry).filter((s) => s.startsWith("./"));
    expect(chunks.length).toBeGreaterThan(0);
    // `/api` reads the provider through the very same context module.
    expect(imports(entry.replace("index", "api"))).toEqual(expect.arrayContaining(chunks));
    const all = [entry, ...chunks].flatMap((file) => imports(file.replace("./", "")));
    expect(all).toContain("@courier-ts/core");
    expect(all).not.toContain("@courier-ts/client");
    expect(all).not.toContain("openapi-fetch");
    expect(all).not.toContain("openapi-react-query");
  }
  expect(imports("api.mjs")).toContain("@courier-ts/client");
  expect(imports("api.cjs")).toContain("@courier-ts/client");
});
