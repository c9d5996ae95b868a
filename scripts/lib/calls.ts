/**
 * Emits `calls.ts`: for each HTTP method, an interface from path to what a call takes (`args`) and
 * returns (`data`, `error`), as plain references into `operations`.
 *
 * The client's methods are generic in the path. When TypeScript checks an argument against a type that
 * depends on that path, it first works out the type for every path at once (the constraint), so types
 * computed with conditional types (`PathsWith`, `CallInit`...) are evaluated for every operation of the
 * method on a consumer's first call. Written out here, the same facts cost a lookup. The call options
 * are one plain type (`CallOptions`), not a type parameter of the maps: a generic map is instantiated
 * path by path when TypeScript works out that constraint.
 */

interface Parameter {
  in: string;
  required?: boolean;
}

interface Operation {
  operationId: string;
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, unknown> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

const METHODS = ["get", "put", "post", "patch", "delete"] as const;

function json(ref: string, content: Record<string, unknown> | undefined): string | undefined {
  if (!content) {
    return undefined;
  }
  const type = "application/json" in content ? "application/json" : Object.keys(content)[0];
  return type === undefined ? undefined : `${ref}["content"][${JSON.stringify(type)}]`;
}

function entry(path: string, op: Operation): string[] {
  const o = `operations[${JSON.stringify(op.operationId)}]`;
  const params = op.parameters ?? [];
  const parts: string[] = [];
  let required = false;
  if (params.some((p) => p.in === "path")) {
    parts.push(`path: ${o}["parameters"]["path"]`);
    required = true;
  }
  if (params.some((p) => p.in === "query")) {
    const queryRequired = params.some((p) => p.in === "query" && p.required);
    parts.push(`query${queryRequired ? "" : "?"}: NonNullable<${o}["parameters"]["query"]>`);
    required ||= queryRequired;
  }
  const init: string[] = [];
  if (parts.length > 0) {
    init.push(`params${required ? "" : "?"}: { ${parts.join("; ")} }`);
  }
  const body = json(`NonNullable<${o}["requestBody"]>`, op.requestBody?.content);
  if (body) {
    const bodyRequired = op.requestBody?.required === true;
    init.push(`body${bodyRequired ? "" : "?"}: ${body}`);
    required ||= bodyRequired;
  }
  const data: string[] = [];
  const errors: string[] = [];
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    const key = /^\d+$/.test(status) ? status : JSON.stringify(status);
    const type = json(`${o}["responses"][${key}]`, response.content) ?? "undefined";
    (/^2\d\d$/.test(status) ? data : errors).push(type);
  }
  const initType = init.length > 0 ? `{ ${init.join("; ")} } & CallOptions` : "CallOptions";
  return [
    ...(op.summary ? [`  /** ${op.summary.replaceAll("*/", "*\\/")} */`] : []),
    `  ${JSON.stringify(path)}: {`,
    `    args: [init${required ? "" : "?"}: ${initType}];`,
    `    data: ${data.length > 0 ? data.join(" | ") : "undefined"};`,
    `    error: ${errors.length > 0 ? errors.join(" | ") : "never"};`,
    "  };",
  ];
}

/** The source of `calls.ts` for the merged spec. */
export function callsModule(spec: { paths: Record<string, Record<string, unknown>> }, header: string[]): string {
  const lines = [
    "/**",
    ...header.map((l) => ` * ${l}`),
    " */",
    "",
    'import type { CallOptions } from "../callOptions.js";',
    'import type { operations } from "./openapi.js";',
    "",
  ];
  for (const method of METHODS) {
    const name = `${method[0]?.toUpperCase()}${method.slice(1)}Calls`;
    lines.push(
      `/** Every \`${method.toUpperCase()}\` path: \`args\` of a call (with its \`CallOptions\`), \`data\` of a 2xx, \`error\` otherwise. */`,
      `export interface ${name} {`,
    );
    for (const [path, item] of Object.entries(spec.paths)) {
      const op = item[method] as Operation | undefined;
      if (op) {
        lines.push(...entry(path, op));
      }
    }
    lines.push("}", "");
  }
  return lines.join("\n");
}
