/**
 * Fuzzes every operation of the merged spec (read at test time, so that routes added later are covered
 * too) with malformed paths, ids, query strings, headers and bodies, most of them built from the
 * operation's own request schema so that they get past validation into the handlers. No answer may be a
 * 5xx, the process must not crash, no prototype may change, and the state must still be consistent.
 */
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { seededRandom } from "../faults.js";
import { automationsOf, bulkOf, type Emulator, listsOf, messagesOf, profilesOf, startEmulator } from "../index.js";

const SPEC = new URL("../../../../spec/generated/courier.merged.yml", import.meta.url);
const METHODS = ["get", "put", "post", "patch", "delete"] as const;
const TOTAL = 6000;
const CONCURRENCY = 8;

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  format?: string;
}
interface Parameter {
  name: string;
  in: string;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}

const document = parse(readFileSync(SPEC, "utf8")) as {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>
  >;
  components: { schemas: Record<string, Schema> };
};
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((method) => {
    const op = item[method] as NonNullable<(typeof item)[string]>;
    return {
      method: method.toUpperCase(),
      path,
      parameters: [...((item as { parameters?: Parameter[] }).parameters ?? []), ...(op.parameters ?? [])],
      body: op.requestBody?.content?.["application/json"]?.schema,
    };
  }),
);

const random = seededRandom(16_2026);
const chance = (p: number) => random() < p;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Ids and strings that broke servers before: Object members, encodings, traversal, huge, empty. */
const TRICKY = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineSetter__",
  "/__proto__/polluted",
  "/constructor/prototype/polluted",
  "..",
  "../..",
  "a/b",
  "a.b.c.d.e",
  "*",
  "**",
  "a.*",
  " ",
  "\u0000",
  "\ud83d\ude00",
  "\ud800",
  "x".repeat(5000),
  "1e400",
  "-1",
  "NaN",
  "null",
  "true",
  "%",
  "{}",
  "<script>",
  "u1",
  "user-1",
  "list.one",
];
/** Raw path segments: as sent, not encoded. */
const RAW_SEGMENTS = [
  "%",
  "%E0%A4%A",
  "%ZZ",
  "%2F",
  "%2e%2e",
  "..",
  "",
  "%00",
  "a%20b",
  "%F0%9F%98%80",
  `${"%41".repeat(3000)}`,
];

function resolve(schema: Schema | undefined, depth = 0): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 20; i++) {
    s = document.components.schemas[s.$ref.replace("#/components/schemas/", "")];
  }
  return depth > 50 ? undefined : s;
}

/** Strings aimed at prototypes, used for every string of the systematic pass's bodies. */
const HOSTILE = ["/__proto__/polluted", "/constructor/prototype/polluted", "__proto__"];
/** Set while the systematic pass generates a body (synchronously, so concurrent workers do not mix). */
let hostile = false;
/** In hostile bodies enums take each of their values in turn, so that every operation kind is tried. */
let enumTurn = 0;

function trickyString(): string {
  if (hostile) {
    return pick(HOSTILE);
  }
  return chance(0.5) ? pick(TRICKY) : pick(["a", "user-1", "2026-01-01T00:00:00Z", "hello@example.com", "x"]);
}

function hostileBody(schema: Schema): string {
  hostile = true;
  try {
    return JSON.stringify(generate(schema, 0));
  } finally {
    hostile = false;
  }
}

/** A value for `schema`: valid most of the time, with random mutations. */
function generate(schema: Schema | undefined, depth: number): unknown {
  const s = resolve(schema);
  if (!s || depth > 6) {
    return pick([null, "x", 1, {}, []]);
  }
  if (s.nullable && chance(0.1)) {
    return null;
  }
  if (!hostile && chance(0.02)) {
    return mutant();
  }
  if (s.enum) {
    if (hostile) {
      return s.enum[enumTurn++ % s.enum.length];
    }
    return chance(0.9) ? pick(s.enum) : trickyString();
  }
  if (s.allOf) {
    return Object.assign({}, ...s.allOf.map((part) => generate(part, depth + 1)).filter(isRecord));
  }
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives) {
    return generate(pick(alternatives), depth + 1);
  }
  const type = Array.isArray(s.type) ? pick(s.type) : (s.type ?? (s.properties ? "object" : undefined));
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(s.properties ?? {})) {
        if ((s.required?.includes(key) && chance(0.95)) || chance(0.4)) {
          out[key] = generate(property, depth + 1);
        }
      }
      if (!hostile && chance(0.1)) {
        Object.defineProperty(out, pick(["__proto__", "constructor", "prototype", "extra"]), {
          value: { polluted: true },
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return out;
    }
    case "array":
      // A hostile body has one item per array, so that one invalid item cannot hide the others.
      return Array.from({ length: hostile ? 1 : Math.floor(random() * 4) }, () => generate(s.items, depth + 1));
    case "integer":
    case "number":
      return pick([0, 1, -1, 2 ** 53, 1e308, 0.5, 20, 1_000_000]);
    case "boolean":
      return chance(0.5);
    case "string":
      if (s.format === "date-time") {
        return chance(0.8) ? new Date(Date.UTC(2026, 0, 1 + Math.floor(random() * 400))).toISOString() : "not-a-date";
      }
      return trickyString();
    default:
      return mutant();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value of the wrong kind. */
function mutant(): unknown {
  return pick<unknown>([
    null,
    true,
    0,
    -1e308,
    "",
    [],
    {},
    [null],
    { a: { b: { c: [] } } },
    // Objects that String() and Number() cannot convert: their toString/valueOf are not functions.
    { toString: 1 },
    { valueOf: {}, toString: [] },
    trickyString(),
    Number.MAX_SAFE_INTEGER,
  ]);
}

/** A body as raw text: usually the generated one, sometimes broken JSON or something else entirely. */
function rawBody(op: Operation): string | undefined {
  const r = random();
  if (r < 0.08) {
    return pick(["{", "[1,", "{'a':1}", "\u0000\u0001", "nul", '{"a":1}}', '"\\ud800"', "1e99999", "[]", "null", "42"]);
  }
  if (r < 0.12) {
    const depth = pick([63, 64, 65, 200, 3000]);
    return `${"[".repeat(depth)}${"]".repeat(depth)}`;
  }
  if (r < 0.15) {
    return undefined;
  }
  if (!op.body) {
    return chance(0.5) ? undefined : JSON.stringify(mutant());
  }
  return JSON.stringify(generate(op.body, 0));
}

/** Object members as ids: every operation gets each of them once, in every path parameter. */
const MEMBER_IDS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

function pathFor(op: Operation, id?: string): string {
  return op.path.replace(/\{[^}]+\}/g, () => {
    if (id !== undefined) {
      return id;
    }
    if (chance(0.15)) {
      return pick(RAW_SEGMENTS);
    }
    const value = trickyString();
    try {
      return encodeURIComponent(value);
    } catch {
      return "%ED%A0%80"; // a lone surrogate, as its (invalid) UTF-8 bytes
    }
  });
}

function queryFor(op: Operation): string {
  const params = new URLSearchParams();
  for (const p of op.parameters.filter((q) => q.in === "query")) {
    if (chance(0.5)) {
      const value = p.schema && chance(0.5) ? generate(p.schema, 5) : trickyString();
      params.append(p.name, typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
    }
  }
  if (chance(0.3)) {
    params.append(pick(["cursor", "limit", "status", "tag", "__proto__", "pattern"]), trickyString());
  }
  if (chance(0.1)) {
    params.append("cursor", Buffer.from(pick(["o:-1", "m:99999999999", "o:1e3", "m:", "o:00"])).toString("base64url"));
  }
  const text = params.toString();
  return text ? `?${text}` : chance(0.05) ? "?%ZZ=%&&=" : "";
}

function headersFor(): Record<string, string> {
  const headers: Record<string, string> = {};
  const auth = random();
  headers.authorization =
    auth < 0.9 ? "Bearer fuzz" : pick(["", "Bearer", "Basic Zm9vOmJhcg==", "Bearer wrong", "bearer  fuzz "]);
  if (headers.authorization === "") {
    delete headers.authorization;
  }
  headers["content-type"] = chance(0.85)
    ? "application/json"
    : pick([
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin1",
      ]);
  if (chance(0.3)) {
    headers["idempotency-key"] = pick(["k1", "k2", "x".repeat(4000), "\u00e9t\u00e9", "__proto__", " "]);
  }
  if (chance(0.1)) {
    headers["x-idempotency-expiration"] = pick(["0", "-1", "1e400", "abc", "2026-13-45", "9".repeat(30), "1700000000"]);
  }
  return headers;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** node:http rather than fetch: it sends the path as written (no dot-segment cleanup) and bodies on GET. */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; contentType: string; text: string }> {
  const { port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

let emulator: Emulator;
const before = Object.getOwnPropertyNames(Object.prototype).sort();
const builtins = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const counts = builtins.map((p) => Object.getOwnPropertyNames(p).length);
const polluted = () => builtins.some((p, i) => Object.getOwnPropertyNames(p).length !== counts[i]);

beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: "fuzz",
    stepMs: 10,
    retention: { messages: 2000, bulkUsers: 5000, automationRuns: 500, idempotencyKeys: 300 },
    seed: { profiles: [{ user_id: "keep", profile: { email: "keep@example.com" } }] },
  });
});
afterAll(async () => {
  agent.destroy();
  await emulator.close();
});

function consistent(): void {
  const log = messagesOf(emulator.state);
  let stored = 0;
  for (const m of log.values()) {
    stored++;
    expect(log.messagesOfRequest(m.requestId)).toContain(m.id);
  }
  expect(stored).toBe(log.size);
  expect(log.size).toBeLessThanOrEqual(emulator.state.retention.messages);
  const lists = listsOf(emulator.state);
  for (const sub of lists.subscriptions()) {
    expect(lists.subscriptionsOf(sub.recipientId)).toContain(sub);
  }
  const bulk = bulkOf(emulator.state);
  expect([...bulk.jobs.values()].reduce((n, job) => n + job.users.length, 0)).toBe(bulk.users);
  expect(bulk.users).toBeLessThanOrEqual(emulator.state.retention.bulkUsers);
  expect(automationsOf(emulator.state).runs.size).toBeLessThanOrEqual(emulator.state.retention.automationRuns);
}

it(`never answers 5xx to ${TOTAL} malformed requests over every operation in the spec, and stays consistent`, async () => {
  expect(operations.length).toBeGreaterThanOrEqual(150);
  const failures: string[] = [];
  const covered = new Set<string>();
  const statuses = new Map<number, number>();
  let sent = 0;
  let next = 0;
  // First every operation with each Object-member id in all its path parameters, and operations with a body
  // 48 more times with bodies whose strings all aim at prototypes; then random requests.
  const systematic = operations.flatMap((op) => [
    ...MEMBER_IDS.map((id) => ({ op, id })),
    // Fresh ids, so that each hostile body meets a resource in its initial state.
    ...(op.body ? Array.from({ length: 48 }, (_, i) => ({ op, id: `hostile-${i}` })) : []),
  ]);
  const worker = async () => {
    while (next < TOTAL) {
      const turn = next++;
      const { op, id } = systematic[turn] ?? { op: operations[turn % operations.length] as Operation, id: undefined };
      covered.add(`${op.method} ${op.path}`);
      const path = `${pathFor(op, id)}${id === undefined ? queryFor(op) : ""}`;
      const body =
        id !== undefined
          ? op.body && op.method !== "GET"
            ? hostileBody(op.body)
            : undefined
          : op.method === "GET" && chance(0.9)
            ? undefined
            : rawBody(op);
      const headers =
        id !== undefined ? { authorization: "Bearer fuzz", "content-type": "application/json" } : headersFor();
      const response = await send(op.method, path, headers, body).catch((error: Error) => error);
      sent++;
      // Checked after every request: a later request could undo a pollution (a `remove` on the same path).
      if (polluted()) {
        failures.push(`${op.method} ${path.slice(0, 120)} ${body?.slice(0, 200)} → changed a built-in prototype`);
      }
      if (response instanceof Error) {
        failures.push(`${op.method} ${path.slice(0, 120)}: ${response.message}`);
        continue;
      }
      const text = response.text;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) {
        failures.push(
          `${op.method} ${path.slice(0, 120)} ${body?.slice(0, 200)} → ${response.status} ${text.slice(0, 200)}`,
        );
      } else if (text && response.contentType.includes("json")) {
        try {
          JSON.parse(text);
        } catch {
          failures.push(`${op.method} ${path.slice(0, 120)} → unparseable JSON`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await emulator.idle();

  expect(failures.slice(0, 20)).toEqual([]);
  // Enough requests got past auth and validation to change or read state in the handlers.
  const succeeded = [...statuses].filter(([status]) => status < 300).reduce((n, [, count]) => n + count, 0);
  expect(succeeded).toBeGreaterThan(TOTAL / 20);
  expect(sent).toBe(TOTAL);
  expect(covered.size).toBe(operations.length);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  consistent();

  // Everything stored can be read back, and the listings page to the end.
  const get = async (path: string) => {
    const response = await send("GET", path, { authorization: "Bearer fuzz" }, undefined);
    return { status: response.status, json: () => JSON.parse(response.text) as unknown };
  };
  for (const id of [...profilesOf(emulator.state).keys()].slice(0, 200)) {
    const response = await get(`/profiles/${encodeURIComponent(id)}`);
    expect(response.status, JSON.stringify(id)).toBe(200);
    response.json();
  }
  for (const listing of ["/messages", "/lists", "/audiences"]) {
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(`${listing}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(response.status).toBe(200);
      const page = response.json() as { paging: { cursor: string | null } };
      cursor = page.paging.cursor;
      pages++;
    } while (cursor && pages < 1000);
  }
  const kept = await get("/profiles/keep");
  expect(kept.status).toBe(200);
}, 300_000);

it("answers malformed HTTP on a raw socket with 400 and keeps serving", async () => {
  const { port } = new URL(emulator.url);
  const garbage = [
    "GARBAGE\r\n\r\n",
    "GET / HTTP/9.9\r\n\r\n",
    `GET /profiles/a HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    "POST /send HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "POST /send HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    "GET /\u0000 HTTP/1.1\r\n\r\n",
  ];
  for (const request of garbage) {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), "127.0.0.1", () => socket.end(request));
      let data = "";
      socket.on("data", (chunk) => {
        data += chunk;
      });
      socket.on("close", () => resolve(data));
      socket.on("error", () => resolve(data));
    });
    expect(answer === "" || /^HTTP\/1\.1 4\d\d/.test(answer), answer.slice(0, 80)).toBe(true);
  }
  const alive = await fetch(`${emulator.url}/profiles/keep`, { headers: { authorization: "Bearer fuzz" } });
  expect(alive.status).toBe(200);
});
