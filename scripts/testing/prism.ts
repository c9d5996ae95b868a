/**
 * Starts a Prism mock of the merged spec on 127.0.0.1 with request validation and `--errors`
 * (an invalid request is answered with 4xx, never a made-up 200). Used by test setups and scripts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const MERGED_SPEC = `${ROOT}spec/generated/courier.merged.yml`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface RunningPrism {
  url: string;
  /** Everything Prism printed, for diagnosing a failed test. */
  log: () => string;
  close: () => Promise<void>;
}

/**
 * `prism mock` by default; with `upstream`, `prism proxy` in front of that server, which forwards every
 * request and reports requests and responses that break the spec in an `sl-violations` header.
 */
export async function startPrism(
  options: { spec?: string; timeoutMs?: number; upstream?: string } = {},
): Promise<RunningPrism> {
  const port = await freePort();
  const args = options.upstream
    ? ["proxy", "--host", "127.0.0.1", "--port", String(port), options.spec ?? MERGED_SPEC, options.upstream]
    : ["mock", "--host", "127.0.0.1", "--port", String(port), "--errors", options.spec ?? MERGED_SPEC];
  const child: ChildProcess = spawn(`${ROOT}node_modules/.bin/prism`, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 2_000_000) {
      output = output.slice(-1_000_000);
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`prism did not start in time:\n${output.slice(-2000)}`)),
      options.timeoutMs ?? 90_000,
    );
    const check = () => {
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => output,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
