/** The command line fails with one line on stderr, no stack, and an exit code scripts can trust. */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../index.js";

const CLI = new URL("../cli.ts", import.meta.url).pathname;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), 15_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("courier-emulator", () => {
  it("names an unknown flag in one line and exits 2", async () => {
    const result = await run(["--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("courier-emulator: Unknown option '--bogus'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("says the port is in use in one line and exits 1", async () => {
    const busy = await startEmulator();
    try {
      const result = await run(["--port", String(busy.port)]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`courier-emulator: port ${busy.port} on 127.0.0.1 is already in use`);
    } finally {
      await busy.close();
    }
  });

  it("rejects a bad number and a webhook URL without a secret, without a stack", async () => {
    const port = await run(["--port", "http"]);
    expect(port.code).toBe(2);
    expect(port.stderr.split("\n")[0]).toBe('courier-emulator: --port "http" is not valid');
    const webhook = await run(["--port", "0", "--webhook-url", "http://127.0.0.1:9/hook"]);
    expect(webhook.code).toBe(1);
    expect(webhook.stderr.trim().split("\n")).toHaveLength(1);
    expect(webhook.stderr).toContain("webhookSecret is required");
  });

  it("prints the options for --help", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--webhook-secret");
    expect(result.stdout).toContain("--seed");
  });
});
