import type { paths } from "@courier-ts/core";
import type { Store } from "./store.js";

export type Method = "get" | "put" | "post" | "patch" | "delete";
type Op<P extends keyof paths, M extends Method> = paths[P] extends { [K in M]: infer O } ? O : never;

type JsonOf<C> = C extends { content: { "application/json": infer B } } ? B : undefined;

/** The request body an operation declares. */
export type RequestBody<P extends keyof paths, M extends Method> =
  Op<P, M> extends {
    requestBody?: infer R;
  }
    ? JsonOf<NonNullable<R>>
    : undefined;

/** `{ status, body }` for any response the operation declares, body typed from the spec. */
export type Reply<P extends keyof paths, M extends Method> =
  Op<P, M> extends { responses: infer R }
    ? { [S in keyof R]: { status: S; body: JsonOf<R[S]>; headers?: Record<string, string> } }[keyof R]
    : never;

export interface Context<P extends keyof paths, M extends Method> {
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body, already validated against the spec's request schema. */
  body: RequestBody<P, M>;
  headers: Record<string, string | string[] | undefined>;
  store: Store;
  now: number;
  env: EmulatorEnv;
}

/** Settings and services handlers use. */
export interface EmulatorEnv {
  /** ms between a message's status steps (ENQUEUED → SENT → DELIVERED). */
  stepMs: number;
  /** Events that map to a notification, for `POST /send/{event}/routing`: event → channels. */
  events: ReadonlyMap<string, string[]>;
  /**
   * Runs `step` in the background, once per event-loop turn, until it returns false; `now` is the
   * emulator's clock. Keep each step short (a few hundred records) so requests are answered in between.
   * `reset()` and `close()` drop pending work.
   */
  schedule(step: (now: number) => boolean): void;
}

export type Handler<P extends keyof paths, M extends Method> = (ctx: Context<P, M>) => Reply<P, M>;

export interface Route {
  method: Method;
  /** The spec path, e.g. `/profiles/{user_id}`. */
  path: string;
  segments: string[];
  handler: (ctx: Context<never, never>) => { status: unknown; body: unknown; headers?: Record<string, string> };
}

/** Declares a route whose body and reply are checked against the spec at compile time. */
export function route<P extends keyof paths, M extends Method>(
  method: M,
  path: P,
  handler: NoInfer<Handler<P, M>>,
): Route {
  return {
    method,
    path,
    segments: path.split("/").slice(1),
    handler: handler as unknown as Route["handler"],
  };
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/**
 * Matches a raw request path against the routes. Segments are split on `/` before decoding, so an
 * encoded slash (`%2F`) stays inside one parameter, and literal segments win over parameters.
 */
export function matchRoute(routes: Route[], method: string, rawPath: string): Match | "method-not-allowed" | undefined {
  const parts = rawPath.split("/").slice(1);
  let pathMatched = false;
  let best: { match: Match; literals: number } | undefined;
  for (const candidate of routes) {
    if (candidate.segments.length !== parts.length) {
      continue;
    }
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const pattern = candidate.segments[i] as string;
      const part = parts[i] as string;
      if (pattern.startsWith("{")) {
        let value: string;
        try {
          value = decodeURIComponent(part);
        } catch {
          ok = false;
          break;
        }
        if (value === "") {
          ok = false;
          break;
        }
        params[pattern.slice(1, -1)] = value;
      } else if (pattern === part) {
        literals++;
      } else {
        ok = false;
        break;
      }
    }
    if (!ok) {
      continue;
    }
    pathMatched = true;
    if (candidate.method !== method.toLowerCase()) {
      continue;
    }
    if (!best || literals > best.literals) {
      best = { match: { route: candidate, params }, literals };
    }
  }
  if (best) {
    return best.match;
  }
  return pathMatched ? "method-not-allowed" : undefined;
}
