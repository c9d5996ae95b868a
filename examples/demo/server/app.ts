/**
 * The demo's backend: Express with @courier-ts/express (profile sync, scoped proxy, webhook), a tiny
 * cookie session for picking a demo user, live updates to the browser (server-sent events fed by
 * Courier's webhooks), an admin API for bulk sends and automations, and the built React app. Courier
 * is the in-process emulator unless COURIER_API_KEY points at the real one.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type CourierClient, createCourierClient, paginate, unwrap } from "@courier-ts/client";
import { isCourierApiError, isNotFoundError } from "@courier-ts/core";
import { type Emulator, type EmulatorOptions, startEmulator } from "@courier-ts/emulator";
import {
  type CourierWebhookEvent,
  courierProfileSync,
  courierProxy,
  courierWebhook,
  jsonErrorHandler,
  signCourierPayload,
} from "@courier-ts/express";
import express, { type Request, type Response } from "express";
import { LISTS, TEMPLATES } from "../src/catalog.ts";
import { seedPreferencePage } from "./seed.ts";

export const DEMO_USERS = [
  { id: "alice", profile: { name: "Alice Martin", email: "alice@example.com", phone_number: "+15550000001" } },
  { id: "bob", profile: { name: "Bob Nguyen", email: "bob@example.com" } },
  { id: "carol", profile: { name: "Carol Diaz", email: "carol@example.com", phone_number: "+15550000003" } },
];
const LIST_IDS = Object.keys(LISTS);
const TEMPLATE_IDS = Object.keys(TEMPLATES);
const WEBHOOK_SECRET = "demo-webhook-secret";
const COOKIE = "demo_user";

export interface DemoOptions {
  port?: number;
  host?: string;
  /** ms between message status steps in the emulator. Default 1500, so progress is visible. */
  stepMs?: number;
  /** Real Courier instead of the emulator. Default: COURIER_API_KEY / COURIER_BASE_URL from the env. */
  courier?: { apiKey: string; baseUrl?: string };
  /** The built React app. Default: ../dist. */
  staticDir?: string;
}

export interface RunningDemo {
  url: string;
  /** What the demo talks to, e.g. "the local emulator at http://127.0.0.1:4010". */
  courier: string;
  /** How the inbox learns about deliveries: Courier's webhooks, or polling when they are not set up. */
  liveUpdates: "webhooks" | "polling";
  /** Set when the demo runs against the emulator. */
  emulator?: Emulator;
  client: CourierClient;
  webhookEvents: CourierWebhookEvent[];
  close(): Promise<void>;
}

function sessionUser(req: Request): string | undefined {
  const cookie = req.headers.cookie ?? "";
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(cookie);
  const id = match ? decodeURIComponent(match[1] ?? "") : undefined;
  return DEMO_USERS.some((u) => u.id === id) ? id : undefined;
}

/** Checks that the real Courier answers and accepts the key, within 5 s: the demo fails fast otherwise. */
async function checkCourier(apiKey: string, baseUrl: string): Promise<void> {
  const probe = createCourierClient({ apiKey, baseUrl, maxRetries: 0, timeout: 5_000 });
  try {
    await probe
      .GET("/profiles/{user_id}", { params: { path: { user_id: DEMO_USERS[0]?.id ?? "alice" } } })
      .then(({ response }) => {
        if (response.status === 401 || response.status === 403) {
          throw new Error(`Courier at ${baseUrl} refused COURIER_API_KEY (${response.status})`);
        }
      });
  } catch (error) {
    if (isCourierApiError(error) || (error as Error).message.startsWith("Courier at")) {
      throw error;
    }
    throw new Error(`Courier at ${baseUrl} is unreachable: ${(error as Error).message}`);
  }
}

/** The browsers of each signed-in user listening for live updates (server-sent events). */
class LiveUpdates {
  private readonly streams = new Map<string, Set<Response>>();

  open(userId: string, res: Response): void {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    res.write(": connected\n\n");
    const mine = this.streams.get(userId) ?? new Set();
    mine.add(res);
    this.streams.set(userId, mine);
    // A comment now and then keeps proxies from closing an idle stream.
    const keepAlive = setInterval(() => res.write(": ping\n\n"), 25_000);
    res.on("close", () => {
      clearInterval(keepAlive);
      mine.delete(res);
    });
  }

  push(userId: string, event: string, data: unknown): void {
    for (const res of this.streams.get(userId) ?? []) {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    }
  }

  closeAll(): void {
    for (const set of this.streams.values()) {
      for (const res of set) {
        res.end();
      }
    }
  }
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const real =
    options.courier ??
    (process.env.COURIER_API_KEY
      ? { apiKey: process.env.COURIER_API_KEY, baseUrl: process.env.COURIER_BASE_URL }
      : undefined);
  const realBaseUrl = real ? (real.baseUrl ?? "https://api.courier.com") : undefined;
  if (real && realBaseUrl) {
    await checkCourier(real.apiKey, realBaseUrl);
  }

  // Listen first: the emulator needs our URL for its webhooks, and a port in use fails before anything starts.
  const app = express();
  app.disable("x-powered-by");
  const server = app.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const url = `http://${options.host ?? "127.0.0.1"}:${(server.address() as AddressInfo).port}`;

  const emulatorOptions: EmulatorOptions = {
    apiKey: "demo-key",
    stepMs: options.stepMs ?? 1500,
    events: {
      WELCOME: ["email", "sms"],
      ORDER_SHIPPED: ["email"],
      PASSWORD_CHANGED: ["email"],
      WEEKLY_DIGEST: ["email"],
    },
    // The emulator delivers signed `message:updated` events to our own endpoint below, as Courier does.
    webhookUrl: `${url}/webhooks/courier`,
    webhookSecret: WEBHOOK_SECRET,
  };
  let emulator: Emulator | undefined;
  try {
    emulator = real ? undefined : await startEmulator(emulatorOptions);
  } catch (error) {
    server.close();
    throw error;
  }
  // Against the real Courier, webhooks are configured in its dashboard, not here: the inbox polls.
  const liveUpdates = emulator ? "webhooks" : "polling";
  const client = createCourierClient(real ?? { apiKey: "demo-key", baseUrl: emulator?.url });
  if (emulator) {
    await seedPreferencePage(client);
  }
  // The app's own user records: profile sync keeps Courier in step with them.
  const users = new Map(DEMO_USERS.map((u) => [u.id, { ...u.profile }]));
  const webhookEvents: CourierWebhookEvent[] = [];
  const live = new LiveUpdates();

  // Webhooks first: they need the raw body.
  app.post(
    "/webhooks/courier",
    courierWebhook({
      secret: WEBHOOK_SECRET,
      onEvent: (event) => {
        webhookEvents.unshift(event);
        webhookEvents.length = Math.min(webhookEvents.length, 50);
        // Tell the recipient's open pages, which refresh their inbox.
        if (event.type === "message:updated" && typeof event.data.recipient === "string") {
          live.push(event.data.recipient, "message", { id: event.data.id, status: event.data.status });
        }
      },
    }),
  );

  app.use(express.json({ limit: "64kb" }));

  const sync = courierProfileSync({
    client,
    getUser: (req) => {
      const id = sessionUser(req);
      const profile = id ? users.get(id) : undefined;
      return id && profile ? { id, profile } : undefined;
    },
    onError: (error, { userId }) => console.warn(`profile sync for ${userId} failed:`, (error as Error).message),
  });
  app.get("/api/demo/users", (_req, res) => {
    res.json(DEMO_USERS.map((u) => ({ id: u.id, name: u.profile.name })));
  });
  app.get("/api/session", (req, res) => {
    res.json({
      userId: sessionUser(req) ?? null,
      courier: real ? { mode: "courier", url: realBaseUrl } : { mode: "emulator", url: emulator?.url },
      liveUpdates,
    });
  });
  app.get("/api/events", (req, res) => {
    const userId = sessionUser(req);
    if (!userId) {
      res.status(401).json({ message: "Pick a demo user first", type: "authentication_error" });
      return;
    }
    live.open(userId, res);
  });
  app.post("/api/session", async (req, res) => {
    const userId = (req.body as { userId?: unknown })?.userId;
    const profile = typeof userId === "string" ? users.get(userId) : undefined;
    if (typeof userId !== "string" || !profile) {
      res.status(400).json({ message: "Unknown demo user", type: "invalid_request_error" });
      return;
    }
    // Sign-in is the user's first request: their Courier profile is synced before we answer.
    await sync.syncNow({ id: userId, profile });
    res.cookie(COOKIE, userId, { httpOnly: true, sameSite: "lax", path: "/" }).json({ userId });
  });
  app.delete("/api/session", (_req, res) => {
    res.clearCookie(COOKIE, { path: "/" }).status(204).end();
  });

  app.use(sync);

  app.use(
    "/api/courier",
    courierProxy({
      client,
      getUserId: sessionUser,
      lists: LIST_IDS,
      // Free-form content is an explicit opt-in: it only reaches the user's own addresses, which stay
      // read-only in the browser (the proxy's default) and come from the user record through profile sync.
      send: { templates: TEMPLATE_IDS, allowContent: true },
      // A Courier JWT for this user only, for apps that also embed Courier's own Inbox or Toast.
      token: { scopes: ["read:preferences", "write:preferences", "inbox:read:messages"], expiresIn: "1 hour" },
    }),
  );

  // Admin panel: a bulk send to a list, and an ad-hoc automation (send, delay, send).
  const admin = express.Router();
  admin.use((req, res, next) => {
    if (!sessionUser(req)) {
      res.status(401).json({ message: "Pick a demo user first", type: "authentication_error" });
      return;
    }
    next();
  });
  admin.post("/bulk", async (req, res, next) => {
    try {
      const { listId, template } = req.body as { listId?: string; template?: string };
      if (!listId || !LIST_IDS.includes(listId) || !template || !TEMPLATE_IDS.includes(template)) {
        res.status(400).json({ message: "Pick a list and a template", type: "invalid_request_error" });
        return;
      }
      const { jobId } = await unwrap(client.POST("/bulk", { body: { message: { event: template, template } } }));
      const recipients: string[] = [];
      try {
        for await (const sub of paginate(client, "/lists/{list_id}/subscriptions", {
          params: { path: { list_id: listId } },
        })) {
          recipients.push(sub.recipientId);
        }
      } catch (error) {
        // A list nobody ever joined does not exist yet: the job simply has no users.
        if (!isNotFoundError(error)) {
          throw error;
        }
      }
      if (recipients.length > 0) {
        await unwrap(
          client.POST("/bulk/{job_id}", {
            params: { path: { job_id: jobId } },
            body: { users: recipients.map((recipient) => ({ recipient, profile: users.get(recipient) ?? {} })) },
          }),
        );
      }
      await unwrap(client.POST("/bulk/{job_id}/run", { params: { path: { job_id: jobId } } }));
      res.status(201).json({ jobId, recipients: recipients.length });
    } catch (error) {
      next(error);
    }
  });
  admin.get("/bulk/:jobId", async (req, res, next) => {
    try {
      const path = { job_id: req.params.jobId ?? "" };
      const [job, jobUsers] = await Promise.all([
        unwrap(client.GET("/bulk/{job_id}", { params: { path } })),
        unwrap(client.GET("/bulk/{job_id}/users", { params: { path } })),
      ]);
      res.json({ ...job, users: jobUsers.items });
    } catch (error) {
      next(error);
    }
  });
  admin.post("/automation", async (req, res, next) => {
    try {
      const userId = sessionUser(req) as string;
      const delay = String((req.body as { delay?: string })?.delay ?? "5 seconds");
      const { runId } = await unwrap(
        client.POST("/automations/invoke", {
          body: {
            recipient: userId,
            data: { source: "demo automation" },
            automation: {
              steps: [
                { action: "send", template: "WELCOME" },
                { action: "delay", duration: delay },
                { action: "send", template: "ORDER_SHIPPED" },
              ],
            },
          },
        }),
      );
      res.status(201).json({ runId });
    } catch (error) {
      next(error);
    }
  });
  admin.get("/automation/:runId", async (req, res, next) => {
    try {
      res.json(
        await unwrap(client.GET("/automations/runs/{id}/steps", { params: { path: { id: req.params.runId ?? "" } } })),
      );
    } catch (error) {
      next(error);
    }
  });
  admin.get("/webhooks", (_req, res) => {
    res.json({ events: webhookEvents });
  });
  // Delivers a signed sample event to our own webhook endpoint, as Courier would.
  admin.post("/webhooks/test", async (req, res, next) => {
    try {
      const body = JSON.stringify({
        type: "message:updated",
        data: { id: "demo", status: "DELIVERED", recipient: sessionUser(req) },
      });
      const response = await fetch(`${url}/webhooks/courier`, {
        method: "POST",
        headers: { "content-type": "application/json", "courier-signature": signCourierPayload(body, WEBHOOK_SECRET) },
        body,
      });
      res.status(response.status).json(await response.json());
    } catch (error) {
      next(error);
    }
  });
  app.use("/api/admin", admin);
  app.use("/api", (_req, res) => {
    res.status(404).json({ message: "Not Found", type: "invalid_request_error" });
  });
  app.use(jsonErrorHandler);

  const staticDir = options.staticDir ?? fileURLToPath(new URL("../dist", import.meta.url));
  if (existsSync(staticDir)) {
    app.use(express.static(staticDir));
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.sendFile(`${staticDir}/index.html`);
    });
  }

  return {
    url,
    courier: real ? `the Courier API at ${realBaseUrl}` : `the local emulator at ${emulator?.url}`,
    liveUpdates,
    emulator,
    client,
    webhookEvents,
    async close() {
      live.closeAll();
      await sync.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator?.close();
    },
  };
}
