import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./exitCodes.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The parsed values: a string per string option, a boolean per flag. */
export type Values<O extends Options> = { [K in keyof O]?: O[K] extends { type: "boolean" } ? boolean : string };

/** `util.parseArgs` with unknown options and stray arguments as usage errors. */
export function parse<O extends Options>(args: string[], options: O): Values<O> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Values<O>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function integer(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer of at least ${min}, got "${value}"`);
  }
  return n;
}

export function json(name: string, value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UsageError(`--${name} must be a JSON object`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--${name} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
