import type { components } from "@courier-ts/core";
import { badRequest } from "./errors.js";
import type { AudienceRecord } from "./handlers/audiences.js";
import type { Json } from "./store.js";

type FilterConfig = components["schemas"]["FilterConfig"];

function at(profile: Json, path: string): unknown {
  let value: unknown = profile;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null) {
      return undefined;
    }
    value = (value as Json)[key];
  }
  return value;
}

/** `String(value)` that cannot throw: JSON objects may carry `toString`/`valueOf` keys that are not functions. */
function text(value: unknown): string {
  return typeof value === "object" && value !== null ? (JSON.stringify(value) ?? "") : String(value);
}

function compare(a: unknown, b: string): number | undefined {
  if (typeof a === "object" && a !== null) {
    return undefined;
  }
  const x = Number(a);
  const y = Number(b);
  if (a !== null && a !== "" && !Number.isNaN(x) && !Number.isNaN(y)) {
    return x - y;
  }
  return typeof a === "string" ? a.localeCompare(b) : undefined;
}

/** Evaluates one filter: operators are case-sensitive, numbers come as strings. */
export function matches(filter: FilterConfig, profile: Json, memberOf: (account: string) => boolean): boolean {
  const { operator, path = "", value = "" } = filter;
  if (operator === "AND" || operator === "OR") {
    const children = filter.filters ?? [];
    return operator === "AND"
      ? children.every((f) => matches(f, profile, memberOf))
      : children.some((f) => matches(f, profile, memberOf));
  }
  const actual = at(profile, path);
  switch (operator) {
    case "EQ":
      return actual !== undefined && text(actual) === value;
    case "NEQ":
      return actual === undefined || text(actual) !== value;
    case "GT":
      return (compare(actual, value) ?? 0) > 0 && actual !== undefined;
    case "GTE":
      return actual !== undefined && (compare(actual, value) ?? -1) >= 0;
    case "LT":
      return actual !== undefined && (compare(actual, value) ?? 0) < 0;
    case "LTE":
      return actual !== undefined && (compare(actual, value) ?? 1) <= 0;
    case "STARTS_WITH":
      return typeof actual === "string" && actual.startsWith(value);
    case "ENDS_WITH":
      return typeof actual === "string" && actual.endsWith(value);
    case "INCLUDES":
      return Array.isArray(actual) ? actual.map(text).includes(value) : text(actual ?? "").includes(value);
    case "OMIT":
      return Array.isArray(actual) ? !actual.map(text).includes(value) : !text(actual ?? "").includes(value);
    case "EXISTS":
      return (actual !== undefined && actual !== null) === (value !== "false");
    case "IS_BEFORE":
      return typeof actual === "string" && Date.parse(actual) < Date.parse(value);
    case "IS_AFTER":
      return typeof actual === "string" && Date.parse(actual) > Date.parse(value);
    case "MEMBER_OF":
      return memberOf(value);
    default:
      throw badRequest(`Unknown filter operator "${operator}" (operators are case-sensitive)`);
  }
}

/** Whether a profile belongs to an audience. */
export function inAudience(audience: AudienceRecord, userId: string, profile: Json): boolean {
  const memberOf = (account: string) => at(profile, "account_id") === account || at(profile, "tenant_id") === account;
  const filters = audience.filter?.filters ?? [];
  const operator = audience.filter?.operator ?? audience.operator ?? "AND";
  void userId;
  return operator === "OR"
    ? filters.some((f) => matches(f, profile, memberOf))
    : filters.every((f) => matches(f, profile, memberOf));
}

/** Throws 400 for an operator the API would not accept, so a bad audience fails at PUT time. */
export function assertFilters(filters: FilterConfig[]): void {
  const known = new Set([
    "AND",
    "OR",
    "EQ",
    "NEQ",
    "GT",
    "GTE",
    "LT",
    "LTE",
    "STARTS_WITH",
    "ENDS_WITH",
    "INCLUDES",
    "OMIT",
    "EXISTS",
    "IS_BEFORE",
    "IS_AFTER",
    "MEMBER_OF",
  ]);
  for (const f of filters) {
    if (!known.has(f.operator)) {
      throw badRequest(`Unknown filter operator "${f.operator}" (operators are case-sensitive)`);
    }
    if (f.filters) {
      assertFilters(f.filters);
    }
  }
}
