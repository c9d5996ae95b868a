/**
 * The HTTP server: auth, faults, body limits, validation, idempotency and background work around the
 * resource modules. Routes, state and fixtures live in the modules (`handlers/*`); this file only wires
 * them together through the `ROUTES` and `SEEDS` lists.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { advanceRuns } from "./automations.js";
import { DEFAULT_MAX_DEPTH, parseJson, parseText, readBody } from "./body.js";
import { HttpError, typeForStatus } from "./errors.js";
import { type FaultKind, type FaultOptions, FaultPlan, noFaults } from "./faults.js";
import { audienceRoutes, audienceSeed } from "./handlers/audiences.js";
import { auditEventRoutes } from "./handlers/auditEvents.js";
import { authRoutes, tokenJwks } from "./handlers/auth.js";
import { addTemplates, automationRoutes, automationSeed } from "./handlers/automations.js";
import { automationTemplateRoutes } from "./handlers/automationTemplates.js";
import { brandRoutes, brandsSeed } from "./handlers/brands.js";
import { broadcastRoutes } from "./handlers/broadcasts.js";
import { bulkRoutes } from "./handlers/bulk.js";
import { digestRoutes } from "./handlers/digests.js";
import { inboundRoutes } from "./handlers/inbound.js";
import { journeyRoutes } from "./handlers/journeys.js";
import { listRoutes, listSeed } from "./handlers/lists.js";
import { notificationRoutes, notificationSeed } from "./handlers/notifications.js";
import { preferenceRoutes } from "./handlers/preferences.js";
import { profileRoutes, profileSeed } from "./handlers/profiles.js";
import { providerRoutes } from "./handlers/providers.js";
import { routingStrategyRoutes } from "./handlers/routingStrategies.js";
import { sendRoutes } from "./handlers/send.js";
import { tenantRoutes, tenantsSeed } from "./handlers/tenants.js";
import { tenantTemplateRoutes } from "./handlers/tenantTemplates.js";
import { tokenRoutes, tokensSeed } from "./handlers/tokens.js";
import { translationRoutes } from "./handlers/translations.js";
import { preferenceSeed, userPreferenceRoutes } from "./handlers/userPreferences.js";
import { DAY_MS, expiresAt, type IdempotentResult, idempotencyOf } from "./idempotency.js";
import { messagesOf } from "./messages.js";
import { type EmulatorEnv, matchRoute, type Route } from "./router.js";
import { checkSeed, defineSeed, type EmulatorSeed, loadSeed, type SeedModule } from "./seed.js";
import { type RetentionLimits, Store } from "./store.js";
import { bodyRequired, stringBody, validateBody } from "./validate.js";
import { LifecycleWatcher, type WebhookOptions, WebhookSender, type WebhookStats } from "./webhooks.js";

/** Every route of every resource module. A new module adds its route array here. */
const ROUTES: Route[] = [
  ...profileRoutes,
  ...listRoutes,
  ...audienceRoutes,
  ...sendRoutes,
  ...bulkRoutes,
  ...automationRoutes,
  ...brandRoutes,
  ...tenantRoutes,
  ...tenantTemplateRoutes,
  ...notificationRoutes,
  ...translationRoutes,
  ...auditEventRoutes,
  ...routingStrategyRoutes,
  ...automationTemplateRoutes,
  ...preferenceRoutes,
  ...userPreferenceRoutes,
  ...tokenRoutes,
  ...authRoutes,
  ...providerRoutes,
  ...broadcastRoutes,
  ...journeyRoutes,
  ...digestRoutes,
  ...inboundRoutes,
];

/**
 * The modules that load fixture keys, in loading order (profiles before the lists that name them). A new
 * module that owns a fixture key (see `EmulatorSeed`) adds its `SeedModule` here.
 */
export const SEEDS: readonly SeedModule[] = [
  profileSeed,
  listSeed,
  audienceSeed,
  automationSeed,
  defineSeed(brandsSeed.key, brandsSeed.load),
  defineSeed(tenantsSeed.key, tenantsSeed.load),
  notificationSeed,
  // After notifications: a topic names the templates it covers.
  preferenceSeed,
  defineSeed(tokensSeed.key, tokensSeed.load),
];

/** Shared by the stored results that set no header (most of them). */
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Longest accepted `Idempotency-Key`. */
const MAX_IDEMPOTENCY_KEY = 255;

/**
 * Options of `startEmulator()`; every one is optional.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ apiKey: "test-key", stepMs: 50, seed: { profiles: [{ user_id: "alice", profile: {} }] } });
 * ```
 */
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
  /** Deepest nesting of objects and arrays accepted in a JSON body; deeper gets 400. Default 64. */
  maxDepth?: number;
  /** ms between message status steps (ENQUEUED → SENT → DELIVERED). Default 200. */
  stepMs?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** Events mapped to notifications, for `POST /send/{event}/routing`: event → channels. */
  events?: Record<string, string[]>;
  /** Automation templates for `POST /automations/{templateId}/invoke`: template id → steps. */
  automations?: Record<string, Array<Record<string, unknown>>>;
  /** Initial state, loaded at start and again by every `reset()`. */
  seed?: EmulatorSeed;
  /** How much is kept before the oldest records are evicted (see `RetentionLimits` for the defaults). */
  retention?: Partial<RetentionLimits>;
  /** How long an idempotency record lives unless `x-idempotency-expiration` asks for longer. Default 24 h. */
  idempotencyTtlMs?: number;
  /** POST signed `message:updated` events here as messages change status. Needs `webhookSecret`. */
  webhookUrl?: string;
  /** The secret that signs webhooks (`courier-signature`). */
  webhookSecret?: string;
  /** Retry and queue settings of webhook deliveries. */
  webhookDelivery?: Pick<WebhookOptions, "attempts" | "backoffMs" | "queueLimit" | "timeoutMs">;
}

/** Counters a test can assert on. */
export interface EmulatorStats {
  /** API requests received (inspection requests excluded). */
  requests: number;
  /** Requests answered from the idempotency store. */
  replays: number;
  /** Faults injected, by kind. */
  faults: Record<FaultKind, number>;
  /** Messages stored. */
  messages: number;
  /** Recorded effects per operation, e.g. `{ "POST /send": 1000 }`. */
  effects: Record<string, number>;
  /** Webhook deliveries; all zero without `webhookUrl`. */
  webhooks: WebhookStats;
}

/**
 * A running emulator, from `startEmulator()`.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ apiKey: "test-key" });
 * const courier = createCourierClient({ apiKey: "test-key", baseUrl: emulator.url });
 * await emulator.close();
 * ```
 */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /**
   * The live in-memory state. Read a resource's records with its accessor, e.g.
   * `profilesOf(emulator.state).get("alice")` or `messagesOf(emulator.state).size`.
   */
  state: Store;
  /** Counters since the last reset: requests, replays, faults, messages, effects and webhook deliveries. */
  stats(): EmulatorStats;
  /** Drops all state and counters (faults keep their options), then loads the seed again. */
  reset(): void;
  /** Replaces (or with `undefined` removes) the fault plan. */
  setFaults(faults: FaultOptions | undefined): void;
  /** Resolves once background work is done: bulk runs in progress and pending webhook deliveries. */
  idle(): Promise<void>;
  /** Stops the server, its background work and its webhook deliveries. */
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new TypeError(`${name} must be a positive number`);
  }
}

/** Background steps (bulk runs), one per event-loop turn, so requests are answered in between. */
class Scheduler {
  private tasks: Array<(now: number) => boolean> = [];
  private handle: NodeJS.Immediate | undefined;
  private waiters: Array<() => void> = [];

  constructor(private readonly clock: () => number) {}

  add(task: (now: number) => boolean): void {
    this.tasks.push(task);
    this.handle ??= setImmediate(() => this.tick());
  }

  idle(): Promise<void> {
    return this.tasks.length === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  clear(): void {
    this.tasks = [];
    if (this.handle) {
      clearImmediate(this.handle);
      this.handle = undefined;
    }
    this.settle();
  }

  private tick(): void {
    this.handle = undefined;
    const task = this.tasks.shift();
    if (task) {
      let more = false;
      try {
        more = task(this.clock());
      } catch {
        more = false;
      }
      if (more) {
        this.tasks.push(task);
      }
    }
    if (this.tasks.length > 0) {
      this.handle = setImmediate(() => this.tick());
    } else {
      this.settle();
    }
  }

  private settle(): void {
    if (this.tasks.length === 0) {
      for (const resolve of this.waiters.splice(0)) {
        resolve();
      }
    }
  }
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
  if (options.apiKey !== undefined && options.apiKey.trim() === "") {
    throw new TypeError("apiKey must not be empty (leave it out to accept any bearer token)");
  }
  positive("bodyLimit", options.bodyLimit);
  positive("maxDepth", options.maxDepth);
  positive("idempotencyTtlMs", options.idempotencyTtlMs);
  if (options.stepMs !== undefined && !(Number.isFinite(options.stepMs) && options.stepMs >= 0)) {
    throw new TypeError("stepMs must be a number ≥ 0");
  }
  if (options.webhookSecret !== undefined && options.webhookUrl === undefined) {
    throw new TypeError("webhookSecret is set but webhookUrl is not");
  }
  const store = new Store(options.retention);
  const clock = options.now ?? Date.now;
  const limit = options.bodyLimit ?? 1024 * 1024;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const ttlMs = options.idempotencyTtlMs ?? DAY_MS;
  const scheduler = new Scheduler(clock);
  const env: EmulatorEnv = {
    stepMs: options.stepMs ?? 200,
    events: new Map(Object.entries(options.events ?? {})),
    schedule: (step) => scheduler.add(step),
  };
  const webhooks =
    options.webhookUrl !== undefined
      ? new WebhookSender({
          ...options.webhookDelivery,
          url: options.webhookUrl,
          secret: options.webhookSecret ?? "",
        })
      : undefined;
  const watcher = webhooks ? new LifecycleWatcher(env.stepMs, (event) => webhooks.enqueue(event)) : undefined;
  const templates = Object.entries(options.automations ?? {}).map(([id, steps]) => ({ id, steps }));
  if (options.seed !== undefined) {
    checkSeed(options.seed, SEEDS);
  }

  function populate() {
    const now = clock();
    addTemplates(store, templates);
    if (options.seed !== undefined) {
      loadSeed(store, options.seed, SEEDS, now);
    }
  }
  populate();

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
    if (match === undefined || match === "method-not-allowed") {
      await readBody(req, limit).catch(() => undefined);
      if (match === undefined) {
        sendError(res, 404, `No route for ${method} ${rawPath.slice(0, 200)}`);
      } else {
        sendError(res, 405, `Method ${method} not allowed on ${rawPath.slice(0, 200)}`);
      }
      return;
    }

    const raw = await readBody(req, limit);
    let body: unknown;
    if (raw.length > 0) {
      body = stringBody(match.route.method, match.route.path)
        ? parseText(raw, header(req, "content-type"), maxDepth)
        : parseJson(raw, maxDepth);
    } else if (stringBody(match.route.method, match.route.path) && header(req, "content-type") !== undefined) {
      body = ""; // an empty text file
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
    const idempotency = idempotencyOf(store);
    const idempotencyKey = method === "POST" ? header(req, "idempotency-key") : undefined;
    if (idempotencyKey !== undefined && idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
      throw new HttpError(400, `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY} characters`);
    }
    // Hashed, so that a stored record costs the same whatever the length of the path.
    const cacheKey = idempotencyKey
      ? createHash("sha256").update(`${match.route.path} ${rawPath} ${idempotencyKey}`).digest("base64url")
      : undefined;
    if (cacheKey) {
      const stored = idempotency.get(cacheKey, now);
      if (stored) {
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
        result = { status: Number(reply.status), body: reply.body, headers: reply.headers ?? NO_HEADERS, expiresAt: 0 };
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
        // The first result is stored whatever it was, and replayed for the same key.
        result.expiresAt = expiresAt(header(req, "x-idempotency-expiration"), now, ttlMs);
        idempotency.set(cacheKey, result, now);
      }
      watcher?.poll(store, now);
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
      messages: messagesOf(store).size,
      effects: Object.fromEntries(store.effects),
      webhooks: {
        delivered: 0,
        failedAttempts: 0,
        abandoned: 0,
        dropped: 0,
        ...webhooks?.counts,
        pending: webhooks?.pending ?? 0,
      },
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
      sendError(res, 404, `No route for ${method} ${rawPath.slice(0, 200)}`);
    }
  }

  function reset() {
    scheduler.clear();
    webhooks?.clear();
    watcher?.reset();
    store.clear();
    populate();
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
      socket.end("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n");
    } else {
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  // Status changes happen with the clock, not with requests: poll for them while webhooks are on.
  const poller = watcher
    ? setInterval(() => watcher.poll(store, clock()), Math.max(5, Math.min(env.stepMs / 2, 100)))
    : undefined;
  poller?.unref();

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    state: store,
    stats,
    reset,
    setFaults(next) {
      faults = next ? new FaultPlan(next) : undefined;
    },
    async idle() {
      await scheduler.idle();
      await webhooks?.idle();
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(poller);
        scheduler.clear();
        webhooks?.close();
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
