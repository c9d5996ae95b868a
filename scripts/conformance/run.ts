/**
 * Every method of the official client, called twice (required-only and all parameters),
 * against a Prism mock of our merged spec with `--errors`. A call passes when Prism accepts the
 * request and the response is valid. Prints `passed / total` and every failure with Prism's schema path.
 */
import Courier from "@trycourier/courier";
import { startPrism } from "../testing/prism.ts";
import { planCalls } from "./generate.ts";

export interface ConformanceResult {
  total: number;
  passed: number;
  methods: number;
  failures: Array<{ method: string; mode: string; status: number | string; problems: string[] }>;
}

function resolve(client: unknown, path: string): { fn: (...a: unknown[]) => Promise<unknown>; self: unknown } {
  const parts = path.split(".");
  let self: unknown = client;
  for (const part of parts.slice(0, -1)) {
    self = (self as Record<string, unknown>)[part];
  }
  return { fn: (self as Record<string, (...a: unknown[]) => Promise<unknown>>)[parts.at(-1) as string] as never, self };
}

export async function runConformance(): Promise<ConformanceResult> {
  const calls = planCalls();
  const prism = await startPrism();
  let lastProblems: string[] = [];
  const client = new Courier({
    apiKey: "conformance-key",
    baseURL: prism.url,
    maxRetries: 0,
    timeout: 20_000,
    // Prism names each violation: in the `sl-violations` header, or a 422 body's `validation` list.
    fetch: async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      lastProblems = [];
      const header = response.headers.get("sl-violations");
      const list: Array<{ location: string[]; message: string }> = header ? JSON.parse(header) : [];
      if (!response.ok && !header) {
        const body = (await response
          .clone()
          .json()
          .catch(() => ({}))) as { validation?: typeof list; detail?: string };
        list.push(...(body.validation ?? []));
        if (list.length === 0 && body.detail) {
          list.push({ location: [], message: body.detail });
        }
      }
      lastProblems = list.map((v) => `${v.location.join(".")}: ${v.message}`);
      return response;
    },
  });
  const failures: ConformanceResult["failures"] = [];
  try {
    for (const call of calls) {
      const { fn, self } = resolve(client, call.method);
      try {
        await fn.apply(self, call.args);
      } catch (error) {
        const e = error as { status?: number; message?: string };
        const problems = lastProblems.length > 0 ? lastProblems : [String(e.message).slice(0, 200)];
        failures.push({ method: call.method, mode: call.mode, status: e.status ?? "error", problems });
      }
    }
  } finally {
    await prism.close();
  }
  return {
    total: calls.length,
    passed: calls.length - failures.length,
    methods: new Set(calls.map((c) => c.method)).size,
    failures,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runConformance();
  console.log(
    `official client conformance: ${result.passed} / ${result.total} calls accepted (${result.methods} methods x 2)`,
  );
  for (const f of result.failures) {
    console.log(`  FAIL ${f.method} [${f.mode}] ${f.status}: ${f.problems.slice(0, 3).join(" | ")}`);
  }
}
