/**
 * How the demo starts and stops, as a person running `pnpm demo` sees it: a port in use is one line with the
 * fix, real-API mode fails fast when Courier is unreachable or refuses the key, and Ctrl-C (SIGINT) exits 0.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@courier-ts/emulator";
import { expect, it } from "vitest";
import { startDemo } from "../server/app.ts";

const MAIN = fileURLToPath(new URL("../server/main.ts", import.meta.url));

/** Runs the demo's entry point; resolves with its output and exit code (SIGINT once it has started, if asked). */
function runMain(env: Record<string, string>, interrupt = false) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (interrupt && stdout.includes("Press Ctrl-C")) {
        child.kill("SIGINT");
      }
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

it("says in one line that the port is in use, and how to pick another", async () => {
  const running = await startDemo({ port: 0, stepMs: 300 });
  try {
    const { code, stderr } = await runMain({ PORT: new URL(running.url).port, COURIER_API_KEY: "" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      `Port ${new URL(running.url).port} is in use: stop what runs there, or pick another port, e.g. PORT=3001 pnpm demo`,
    ]);
  } finally {
    await running.close();
  }
});

it("stops on Ctrl-C with exit code 0", async () => {
  const { code, stdout, stderr } = await runMain({ PORT: "0", COURIER_API_KEY: "" }, true);
  expect(stdout).toContain("Courier: the local emulator at http://127.0.0.1:");
  expect(stdout).toContain("stopping…");
  expect(stderr).toBe("");
  expect(code).toBe(0);
});

it("in real-API mode, fails fast when Courier is unreachable or refuses the key", async () => {
  await expect(startDemo({ port: 0, courier: { apiKey: "k", baseUrl: "http://127.0.0.1:9" } })).rejects.toThrow(
    "Courier at http://127.0.0.1:9 is unreachable",
  );
  const courier = await startEmulator({ apiKey: "the-right-key" });
  try {
    await expect(startDemo({ port: 0, courier: { apiKey: "a-wrong-key", baseUrl: courier.url } })).rejects.toThrow(
      `Courier at ${courier.url} refused COURIER_API_KEY (401)`,
    );
    const real = await startDemo({ port: 0, courier: { apiKey: "the-right-key", baseUrl: courier.url } });
    expect(real.courier).toBe(`the Courier API at ${courier.url}`);
    expect(real.emulator).toBeUndefined();
    await real.close();
  } finally {
    await courier.close();
  }
});
