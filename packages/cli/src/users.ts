import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { BulkUser } from "@courier-ts/client/bulk";
import { parse } from "csv-parse";

/** One row of a user file: the user, or why it cannot be sent. `line` is 1-based. */
export type UserRow = { line: number; user: BulkUser; error?: undefined } | { line: number; error: string };

export type UserFileFormat = "csv" | "ndjson";

export interface ReadUserFileOptions {
  /** Default: from the extension (`.csv`; `.ndjson`, `.jsonl` or `.json` for NDJSON). */
  format?: UserFileFormat;
  /** Rows whose JSON is larger than this are errors. Default: no limit. */
  maxUserBytes?: number;
  /** Called with the number of bytes of the file read so far. */
  onBytes?: (bytes: number) => void;
}

const FIELDS = new Set(["recipient", "profile", "data", "to", "preferences"]);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * JSON.stringify writes at most about 6 bytes per character of a row's text (a short number such as
 * `1e20` grows the most), plus quotes and separators per CSV cell; rows under this bound cannot be too
 * large, which spares serializing every row of a big file twice.
 */
const EXPANSION = 6;

/**
 * Why a parsed row is not a bulk user Courier can deliver to, or undefined when it is one. `sourceLength`
 * (the row's text length) lets small rows skip the size check.
 *
 * @example
 * ```ts
 * userProblem({ recipient: "u1" }); // undefined
 * userProblem({ data: { a: 1 } }); // "no recipient, to, profile.email or profile.phone_number"
 * ```
 */
export function userProblem(
  user: unknown,
  maxUserBytes = Number.POSITIVE_INFINITY,
  sourceLength = Number.POSITIVE_INFINITY,
): string | undefined {
  if (!isObject(user)) {
    return "not a JSON object";
  }
  for (const key in user) {
    if (!FIELDS.has(key)) {
      return `unknown field "${key}" (expected recipient, profile, data, to, preferences)`;
    }
  }
  if (user.recipient !== undefined && (typeof user.recipient !== "string" || user.recipient.trim() === "")) {
    return "recipient must be a non-empty string";
  }
  for (const field of ["profile", "to", "preferences"] as const) {
    if (user[field] !== undefined && !isObject(user[field])) {
      return `${field} must be an object`;
    }
  }
  const profile = (user.profile ?? {}) as Record<string, unknown>;
  if (!user.recipient && !user.to && typeof profile.email !== "string" && typeof profile.phone_number !== "string") {
    return "no recipient, to, profile.email or profile.phone_number";
  }
  if (sourceLength * EXPANSION < maxUserBytes) {
    return undefined;
  }
  const size = Buffer.byteLength(JSON.stringify(user));
  if (size > maxUserBytes) {
    return `${size} bytes, more than a request can carry (${maxUserBytes})`;
  }
  return undefined;
}

/**
 * A CSV record as a bulk user: `recipient` (or `user_id`), `email` and `phone_number` (into `profile`),
 * `profile.<name>` and `data.<name>` columns; any other column goes into `data`. Empty cells are left out.
 *
 * @example
 * ```ts
 * userFromCsv({ user_id: "u1", email: "a@example.com", plan: "pro" });
 * // { recipient: "u1", profile: { email: "a@example.com" }, data: { plan: "pro" } }
 * ```
 */
export function userFromCsv(record: Record<string, string>): Record<string, unknown> {
  const user: { recipient?: string; profile?: Record<string, string>; data?: Record<string, string> } = {};
  for (const [column, value] of Object.entries(record)) {
    if (value === "" || value === undefined) {
      continue;
    }
    if (column === "recipient" || column === "user_id") {
      user.recipient = value;
    } else if (column === "email" || column === "phone_number") {
      user.profile = { ...user.profile, [column]: value };
    } else if (column.startsWith("profile.")) {
      user.profile = { ...user.profile, [column.slice(8)]: value };
    } else {
      const name = column.startsWith("data.") ? column.slice(5) : column;
      user.data = { ...user.data, [name]: value };
    }
  }
  return user;
}

export function formatOf(path: string, format?: string): UserFileFormat {
  const chosen = format ?? (/\.csv$/i.test(path) ? "csv" : /\.(nd)?jsonl?$|\.ndjson$/i.test(path) ? "ndjson" : "");
  if (chosen !== "csv" && chosen !== "ndjson") {
    throw new Error(`Cannot tell the format of ${path}: use --format csv or --format ndjson`);
  }
  return chosen;
}

function row(line: number, user: unknown, sourceLength: number, maxUserBytes?: number): UserRow {
  const problem = userProblem(user, maxUserBytes, sourceLength);
  return problem === undefined ? { line, user: user as BulkUser } : { line, error: problem };
}

/**
 * Streams the rows of a CSV (with a header row) or NDJSON file, one at a time: the file is never held
 * in memory. Rows that are not valid users come back with the reason instead of a user.
 *
 * @example
 * ```ts
 * for await (const row of readUserFile("users.ndjson")) {
 *   if (row.error) console.error(`line ${row.line}: ${row.error}`);
 * }
 * ```
 */
export async function* readUserFile(path: string, options: ReadUserFileOptions = {}): AsyncGenerator<UserRow> {
  const format = formatOf(path, options.format);
  const stream = createReadStream(path);
  let bytes = 0;
  stream.on("data", (chunk) => {
    bytes += chunk.length;
    options.onBytes?.(bytes);
  });
  try {
    if (format === "ndjson") {
      let line = 0;
      for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
        line++;
        if (text.trim() === "") {
          continue;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          yield { line, error: `invalid JSON (${(error as Error).message})` };
          continue;
        }
        yield row(line, parsed, text.length, options.maxUserBytes);
      }
      return;
    }
    const skipped: UserRow[] = [];
    const parser = stream.pipe(
      parse({
        columns: (header: string[]) => header.map((name) => name.trim()),
        bom: true,
        trim: true,
        skip_empty_lines: true,
        info: true,
        skip_records_with_error: true,
        on_skip: (error) => {
          skipped.push({ line: Number(error?.lines ?? 0), error: error?.message ?? "unreadable CSV row" });
          return undefined;
        },
      }),
    );
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield* skipped.splice(0);
      let length = 0;
      for (const column in record) {
        length += column.length + (record[column]?.length ?? 0) + 6;
      }
      yield row(info.lines, userFromCsv(record), length, options.maxUserBytes);
    }
    yield* skipped.splice(0);
  } finally {
    stream.destroy();
  }
}
