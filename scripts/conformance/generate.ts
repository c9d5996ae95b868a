/**
 * Builds call arguments for every method of the official @trycourier/courier client from its own
 * TypeScript declarations (not from our spec): twice per method, with only the required parameters and
 * with every parameter filled with realistic values.
 */
import { createRequire } from "node:module";
import ts from "typescript";

export interface PlannedCall {
  /** `lists.subscriptions.add` */
  method: string;
  mode: "required" | "all";
  args: unknown[];
}

const MAX_DEPTH = 10;
/** Recursive shapes (nested filters, routing, elements) get one nested level of items, not an endless tree. */
const MAX_ARRAY_DEPTH = 2;

function realistic(name: string): string {
  const n = name.toLowerCase();
  if (n === "op") {
    return "replace";
  }
  if (n === "path") {
    return "/name";
  }
  if (n.includes("email")) {
    return "jane.doe@example.com";
  }
  if (n.includes("phone")) {
    return "+15555550123";
  }
  if (n.includes("url") || n === "href" || n === "src" || n.includes("webhook")) {
    return "https://example.com/hook";
  }
  if (n.endsWith("_at") || n === "until" || n.includes("date") || n === "created" || n === "updated") {
    return "2026-01-15T10:00:00.000Z";
  }
  if (n.includes("locale")) {
    return "en-US";
  }
  if (n.includes("timezone")) {
    return "America/New_York";
  }
  if (n === "expires_in" || n === "duration") {
    return "2 hours";
  }
  if (n.includes("scope")) {
    return "user_id:user-123 read:messages";
  }
  if (n.includes("list") && n.includes("id")) {
    return "teams.engineering";
  }
  if (n.includes("id") || n === "recipient" || n === "token" || n === "alias" || n === "event") {
    return "example-123";
  }
  if (n.includes("name") || n === "title") {
    return "Example Name";
  }
  if (n === "version") {
    return "2022-01-01";
  }
  return "example value";
}

export function planCalls(): PlannedCall[] {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@trycourier/courier").replace(/index\.js$/, "index.d.ts");
  const program = ts.createProgram([entry], { strict: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) {
    throw new Error("cannot read the official SDK's declarations");
  }
  const courierSymbol = checker
    .getExportsOfModule(checker.getSymbolAtLocation(source) as ts.Symbol)
    .find((s) => s.name === "Courier" || s.name === "default");
  if (!courierSymbol) {
    throw new Error("no Courier export");
  }
  const courierType = checker.getDeclaredTypeOfSymbol(
    courierSymbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(courierSymbol) : courierSymbol,
  );

  function isResource(type: ts.Type): boolean {
    return (
      (type.getBaseTypes?.() ?? []).some((b) => b.symbol?.name === "APIResource") ||
      (type.symbol?.declarations ?? []).some(
        (d) => ts.isClassDeclaration(d) && d.heritageClauses?.some((h) => h.getText().includes("APIResource")),
      )
    );
  }

  let arrayDepth = 0;
  function value(type: ts.Type, name: string, mode: PlannedCall["mode"], depth: number): unknown {
    if (depth > MAX_DEPTH) {
      return undefined;
    }
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      const literal = members.find((t) => t.isStringLiteral());
      if (literal && members.every((t) => t.isStringLiteral())) {
        return (literal as ts.StringLiteralType).value;
      }
      if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) {
        return true;
      }
      const string = members.find((t) => t.flags & ts.TypeFlags.String);
      const pick =
        members.find((t) => t.flags & ts.TypeFlags.Object && !checker.isArrayType(t)) ?? string ?? members[0];
      return pick ? value(pick, name, mode, depth) : undefined;
    }
    if (type.isStringLiteral()) {
      return type.value;
    }
    if (type.isNumberLiteral()) {
      return type.value;
    }
    if (type.flags & ts.TypeFlags.BooleanLiteral) {
      return (type as unknown as { intrinsicName: string }).intrinsicName === "true";
    }
    if (type.flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) {
      return realistic(name);
    }
    if (type.flags & ts.TypeFlags.Number) {
      return name.toLowerCase().includes("limit") ? 10 : 1;
    }
    if (type.flags & ts.TypeFlags.Boolean) {
      return true;
    }
    if (type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) {
      return "example value";
    }
    if (checker.isArrayType(type)) {
      arrayDepth++;
      if (arrayDepth > MAX_ARRAY_DEPTH) {
        arrayDepth--;
        return [];
      }
      const element = checker.getTypeArguments(type as ts.TypeReference)[0];
      const item = element ? value(element, name, mode, depth + 1) : undefined;
      arrayDepth--;
      return item === undefined ? [] : [item];
    }
    if (type.flags & ts.TypeFlags.Object || type.isIntersection()) {
      const out: Record<string, unknown> = {};
      const props = checker.getPropertiesOfType(type);
      if (props.length === 0) {
        const index = checker.getIndexInfosOfType(type)[0];
        if (index) {
          const v = value(index.type, "value", mode, depth + 1);
          return v === undefined ? {} : { key: v };
        }
        return {};
      }
      for (const prop of props) {
        const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
        if (optional && mode === "required") {
          continue;
        }
        const decl = prop.valueDeclaration ?? prop.declarations?.[0];
        if (!decl) {
          continue;
        }
        const propType = checker.getTypeOfSymbolAtLocation(prop, decl);
        if (propType.getCallSignatures().length > 0) {
          continue;
        }
        const v = value(propType, prop.name, mode, depth + 1);
        if (v !== undefined) {
          out[prop.name] = v;
        }
      }
      return out;
    }
    return undefined;
  }

  const calls: PlannedCall[] = [];
  function walk(type: ts.Type, path: string[], depth: number) {
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      if (!decl || prop.name.startsWith("_")) {
        continue;
      }
      const propType = checker.getTypeOfSymbolAtLocation(prop, decl);
      if (depth < 3 && isResource(propType)) {
        walk(propType, [...path, prop.name], depth + 1);
        continue;
      }
      if (path.length === 0 || !(ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl))) {
        continue;
      }
      const signature = propType.getCallSignatures()[0];
      if (!signature) {
        continue;
      }
      for (const mode of ["required", "all"] as const) {
        const args: unknown[] = [];
        for (const param of signature.getParameters()) {
          const paramDecl = param.valueDeclaration as ts.ParameterDeclaration | undefined;
          if (param.name === "options" || !paramDecl) {
            break;
          }
          const optional = !!paramDecl.questionToken || !!paramDecl.initializer;
          const paramType = checker.getTypeOfSymbolAtLocation(param, paramDecl);
          args.push(optional && mode === "required" ? undefined : value(paramType, param.name, mode, 0));
        }
        calls.push({ method: [...path, prop.name].join("."), mode, args });
      }
    }
  }
  walk(courierType, [], 0);
  return calls;
}
