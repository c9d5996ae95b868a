/**
 * Reads an environment variable where there is one, and never throws: browsers have no `process`, and
 * Deno without `--allow-env` throws on any read of `process.env`. Either way the answer is "not set".
 */
export function readEnv(name: string): string | undefined {
  try {
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  } catch {
    return undefined;
  }
}
