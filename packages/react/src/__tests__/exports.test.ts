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
    "useCourierClient",
    "useCourierMutation",
    "useCourierQuery",
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
  expect(Object.keys(await import("../server.js")).sort()).toEqual(["courierKeys", "courierQueries", "createProxyApi"]);
});

it('marks the hooks bundle "use client" and leaves the server entry callable from server components', () => {
  const dist = (file: string) => readFileSync(fileURLToPath(new URL(`../../dist/${file}`, import.meta.url)), "utf8");
  for (const file of ["index.mjs", "index.cjs"]) {
    expect(dist(file).startsWith('"use client";')).toBe(true);
  }
  for (const file of ["server.mjs", "server.cjs"]) {
    expect(dist(file)).not.toContain("use client");
    expect(dist(file)).not.toMatch(/from "react"|require\("react"\)/);
  }
});
