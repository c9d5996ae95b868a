import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { advanceRuns } from "./automations.js";
import { HttpError, typeForStatus } from "./errors.js";
import { type FaultKind, type FaultOptions, FaultPlan, noFaults } from "./faults.js";
import { audienceRoutes } from "./handlers/audiences.js";
import { authRoutes, tokenJwks } from "./handlers/auth.js";
import { automationRoutes } from "./handlers/automations.js";
import { bulkRoutes } from "./handlers/bulk.js";
import { listRoutes } from "./handlers/lists.js";
import { preferenceRoutes } from "./handlers/preferences.js";
import { profileRoutes } from "./handlers/profiles.js";
import { sendRoutes } from "./handlers/send.js";
import { tokenRoutes } from "./handlers/tokens.js";
import { userPreferenceRoutes } from "./handlers/userPreferences.js";
import { type EmulatorEnv, matchRoute, type Route } from "./router.js";
import { type IdempotentResult, Store } from "./store.js";
import { bodyRequired, validateBody } from "./validate.js";

const ROUTES: Route[] = [
  ...profileRoutes,
  ...listRoutes,
  ...audienceRoutes,
  ...sendRoutes,
  ...bulkRoutes,
  ...automationRoutes,
  ...preferenceRoutes,
  ...userPreferenceRoutes,
  ...tokenRoutes,
  ...authRoutes,
];
const DAY_MS = 86_400_000;

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The API key clients must send as `Authorization: Bearer <key>`. Default: any non-empty bearer token. */
  apiKey?: string;
  /** Fault injection for reliability tests. */
  faults?: FaultOptions;
  /** Largest accepted body in bytes; larger gets 413. Default 1 MB. */
  bodyLimit?: number;
  /** ms between message status steps (ENQUEUED → SENT → DELIVERED). Default 200. */
  stepMs?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** Events mapped to notifications, for `POST /send/{event}/routing`: event → channels. */
  events?: Record<string, string[]>;
  /** Automation templates for `POST /automations/{templateId}/invoke`: template id → steps. */
  automations?: Record<string, Array<Record<string, unknown>>>;
}

/** Counters a test can assert on. */
export interface EmulatorStats {
  /** API requests received (inspection requests excluded). */
  requests: number;
  /** Requests answered from the idempotency store. */
  replays: number;
  /** Faults injected, by kind. */
  faults: Record<FaultKind, number>;
  /** Messages recorded. */
  messages: number;
  /** Recorded effects per operation, e.g. `{ "POST /send": 1000 }`. */
  effects: Record<string, number>;
}

export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  /** The live in-memory state. */
  state: Store;
  stats(): EmulatorStats;
  /** Drops all state and counters (faults keep their options). */
  reset(): void;
  /** Replaces (or with `undefined` removes) the fault plan. */
  setFaults(faults: FaultOptions | undefined): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { message, type: typeForStatus(status) }, headers);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    throw new HttpError(413, "Payload Too Large");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new HttpError(413, "Payload Too Large");
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `x-idempotency-expiration`: epoch ms or seconds (values above 1e12 are ms) or ISO 8601 (SEMANTICS §2). */
function expiresAt(value: string | undefined, now: number): number {
  if (!value) {
    return now + DAY_MS;
  }
  const n = Number(value);
  const at = Number.isFinite(n) ? (n > 1e12 ? n : n * 1000) : Date.parse(value);
  return Number.isNaN(at) ? now + DAY_MS : Math.max(at, now + DAY_MS);
}

/**
 * Starts the emulator.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ apiKey: "test-key" });
 * const courier = createCourierClient({ apiKey: "test-key", baseUrl: emulator.url });
 * await courier.POST("/send", { body: { message: { to: { user_id: "u1" }, template: "WELCOME" } } });
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = new Store();
  const clock = options.now ?? Date.now;
  const limit = options.bodyLimit ?? 1024 * 1024;
  const env: EmulatorEnv = {
    stepMs: options.stepMs ?? 200,
    events: options.events ?? {},
    automations: options.automations ?? {},
  };
  let faults = options.faults ? new FaultPlan(options.faults) : undefined;
  let counters = { requests: 0, replays: 0 };
  const inflight = new Set<string>();
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? "" : rawUrl.slice(queryAt + 1));

    if (rawPath.startsWith("/__emulator/")) {
      handleInspection(method, rawPath, req, res);
      return;
    }
    counters.requests++;
    const token = /^Bearer\s+(.+)$/i.exec(header(req, "authorization") ?? "")?.[1]?.trim();
    if (!token || (options.apiKey !== undefined && token !== options.apiKey)) {
      await readBody(req, limit).catch(() => undefined);
      sendError(res, 401, "Unauthorized");
      return;
    }

    const fault = faults?.draw(method, rawPath);
    if (fault === "reset-before") {
      req.socket.destroy();
      return;
    }
    if (fault === "500" || fault === "502" || fault === "503" || fault === "429") {
      await readBody(req, limit).catch(() => undefined);
      const status = Number(fault);
      const headers: Record<string, string> =
        status === 429 ? { "retry-after": String(faults?.options.retryAfterSeconds ?? 0) } : {};
      sendError(res, status, status === 429 ? "Too Many Requests" : "Internal Server Error (injected)", headers);
      return;
    }

    const match = matchRoute(ROUTES, method, rawPath);
    if (match === undefined) {
      await readBody(req, limit).catch(() => undefined);
      sendError(res, 404, `No route for ${method} ${rawPath}`);
      return;
    }
    if (match === "method-not-allowed") {
      await readBody(req, limit).catch(() => undefined);
      sendError(res, 405, `Method ${method} not allowed on ${rawPath}`);
      return;
    }

    const raw = await readBody(req, limit);
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        throw new HttpError(400, "Malformed JSON body");
      }
    } else if (bodyRequired(match.route.method, match.route.path)) {
      throw new HttpError(400, "A JSON body is required");
    }
    if (body !== undefined) {
      const problem = validateBody(match.route.method, match.route.path, body);
      if (problem) {
        throw new HttpError(400, problem);
      }
    }

    const now = clock();
    const idempotencyKey = method === "POST" ? header(req, "idempotency-key") : undefined;
    const cacheKey = idempotencyKey ? `${match.route.path} ${rawPath} ${idempotencyKey}` : undefined;
    if (cacheKey) {
      const stored = store.idempotency.get(cacheKey);
      if (stored && stored.expiresAt > now) {
        counters.replays++;
        finish(res, fault, stored.status, stored.body, { ...stored.headers, "idempotent-replayed": "true" });
        return;
      }
      if (inflight.has(cacheKey)) {
        // Nothing is stored for a request that conflicts with one still executing; safe to retry.
        throw new HttpError(409, "A request with this Idempotency-Key is already in progress");
      }
      inflight.add(cacheKey);
    }
    try {
      advanceRuns(store, now);
      let result: IdempotentResult;
      try {
        const reply = match.route.handler({
          params: match.params,
          query,
          body: body as never,
          headers: req.headers,
          store,
          now,
          env,
        });
        result = { status: Number(reply.status), body: reply.body, headers: reply.headers ?? {}, expiresAt: 0 };
      } catch (error) {
        if (!(error instanceof HttpError)) {
          throw error;
        }
        result = {
          status: error.status,
          body: { message: error.message, type: error.type },
          headers: error.headers,
          expiresAt: 0,
        };
      }
      if (cacheKey) {
        // The first result is stored whatever it was, and replayed for the same key (SEMANTICS §2).
        result.expiresAt = expiresAt(header(req, "x-idempotency-expiration"), now);
        store.idempotency.set(cacheKey, result);
      }
      finish(res, fault, result.status, result.body, result.headers);
    } finally {
      if (cacheKey) {
        inflight.delete(cacheKey);
      }
    }
  }

  function finish(
    res: ServerResponse,
    fault: FaultKind | undefined,
    status: number,
    body: unknown,
    headers: Record<string, string>,
  ) {
    if (fault === "reset-after") {
      // The effect is recorded; the client never hears about it.
      res.socket?.destroy();
      return;
    }
    send(res, status, body, headers);
  }

  function stats(): EmulatorStats {
    return {
      ...counters,
      faults: {
        ...(faults?.counts ?? noFaults()),
      },
      messages: store.messages.size,
      effects: Object.fromEntries(store.effects),
    };
  }

  function handleInspection(method: string, rawPath: string, req: IncomingMessage, res: ServerResponse) {
    req.resume();
    if (method === "GET" && rawPath === "/__emulator/stats") {
      send(res, 200, stats());
    } else if (method === "GET" && rawPath === "/__emulator/jwks") {
      send(res, 200, tokenJwks(store)); // verifies the JWTs of POST /auth/issue-token
    } else if (method === "POST" && rawPath === "/__emulator/reset") {
      reset();
      send(res, 204, undefined);
    } else {
      sendError(res, 404, `No route for ${method} ${rawPath}`);
    }
  }

  function reset() {
    store.clear();
    counters = { requests: 0, replays: 0 };
    if (faults) {
      faults = new FaultPlan(faults.options);
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        return;
      }
      if (error instanceof HttpError) {
        sendError(res, error.status, error.message, error.headers);
      } else {
        sendError(res, 500, "Internal emulator error");
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) {
      socket.end("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    state: store,
    stats,
    reset,
    setFaults(next) {
      faults = next ? new FaultPlan(next) : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
