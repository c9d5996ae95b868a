import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** A redis-server this test started, or why there is none. */
export type RedisServer =
  | { ok: true; url: string; port: number; stop: () => Promise<void> }
  | { ok: false; reason: string };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts Debian's `redis-server` on a free port with persistence off, or says why it could not. Outside
 * CI a test that needs it then skips with that reason; in CI (`CI` set) this throws instead, so that
 * the Redis tests can never be skipped silently there.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const result = await tryStart();
  if (!result.ok && process.env.CI) {
    throw new Error(`redis-server is required in CI: ${result.reason}`);
  }
  if (!result.ok) {
    process.stderr.write(`Skipping the tests that need Redis: ${result.reason}\n`);
  }
  return result;
}

async function tryStart(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess;
  try {
    // REDIS_SERVER names another binary (or a missing one, to see the skip).
    child = spawn(
      process.env.REDIS_SERVER ?? "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
  } catch (error) {
    return { ok: false, reason: `cannot run redis-server (${(error as Error).message})` };
  }
  const ready = await new Promise<string | true>((resolve) => {
    let output = "";
    const timer = setTimeout(() => resolve(`redis-server did not start within 10 s: ${output.slice(-300)}`), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(
        error.code === "ENOENT"
          ? "redis-server is not installed (apt-get install -y redis-server)"
          : `cannot run redis-server (${error.message})`,
      );
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(`redis-server exited with ${code}: ${output.slice(-300)}`);
    });
  });
  if (ready !== true) {
    child.kill("SIGKILL");
    return { ok: false, reason: ready };
  }
  child.stdout?.removeAllListeners("data");
  child.stderr?.removeAllListeners("data");
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    ok: true,
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
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
