/**
 * The generated types and merged spec against the upstream document they come from (spec/courier.openapi.yml).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import YAML from "yaml";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const merged = YAML.parse(readFileSync(`${root}spec/generated/courier.merged.yml`, "utf8")) as {
  paths: Record<string, Record<string, unknown>>;
};
const generated = readFileSync(`${root}packages/core/src/generated/openapi.ts`, "utf8");
const METHODS = ["get", "put", "post", "patch", "delete"];

function mergedOperations(): Set<string> {
  const ops = new Set<string>();
  for (const [path, item] of Object.entries(merged.paths)) {
    for (const method of Object.keys(item)) {
      if (METHODS.includes(method)) {
        ops.add(`${method.toUpperCase()} ${path}`);
      }
    }
  }
  return ops;
}

describe("generated output", () => {
  it("keeps the do-not-edit header", () => {
    expect(generated.startsWith("/**\n * This file was auto-generated")).toBe(true);
    expect(generated).toContain("Do not make direct changes");
  });

  it("keeps every upstream operation, and types each one", () => {
    const upstream = YAML.parse(readFileSync(`${root}spec/courier.openapi.yml`, "utf8")) as typeof merged;
    const listed = Object.entries(upstream.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => METHODS.includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const ops = mergedOperations();
    expect(listed.length).toBe(156);
    expect(listed.filter((op) => !ops.has(op))).toEqual([]);
    const operationIds = generated.match(/^ {8}(get|put|post|patch|delete): operations\["/gm) ?? [];
    expect(operationIds.length).toBe(ops.size);
  });

  it("has every operation the SDK's own tests and demo rely on", () => {
    const ops = mergedOperations();
    for (const op of [
      "POST /send",
      "POST /send/{event}/routing",
      "POST /bulk",
      "POST /bulk/{job_id}",
      "POST /bulk/{job_id}/run",
      "GET /bulk/{job_id}",
      "GET /bulk/{job_id}/users",
      "POST /profiles/{user_id}",
      "GET /profiles/{user_id}",
      "PUT /profiles/{user_id}",
      "PATCH /profiles/{user_id}",
      "DELETE /profiles/{user_id}",
      "GET /profiles/{user_id}/lists",
      "POST /profiles/{user_id}/lists",
      "DELETE /profiles/{user_id}/lists",
      "GET /lists",
      "PUT /lists/{list_id}",
      "PUT /lists/{list_id}/restore",
      "POST /lists/{list_id}/subscriptions",
      "GET /audiences",
      "GET /messages",
      "POST /messages/{message_id}/cancel",
      "PUT /requests/{request_id}/archive",
      "POST /automations/invoke",
      "POST /automations/{templateId}/invoke",
    ]) {
      expect(ops, op).toContain(op);
    }
  });

  it("declares Courier's actual status codes (bulk 201, send 202) beside upstream's", () => {
    const codes = (path: string) =>
      Object.keys((merged.paths[path]?.post as { responses?: object } | undefined)?.responses ?? {});
    expect(codes("/bulk")).toEqual(expect.arrayContaining(["200", "201"]));
    expect(codes("/send")).toEqual(expect.arrayContaining(["200", "202"]));
  });
});
