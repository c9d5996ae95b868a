import type { CourierClient } from "@courier-ts/client";
import { unwrap } from "@courier-ts/client";
import { isNotFoundError, proxyRoutes as routes } from "@courier-ts/core";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { type CourierTokenOptions, mountCourierTokenRoute } from "./courierToken.js";
import { forbidden, invalid, jsonErrorHandler, notFound, unauthorized } from "./errors.js";
import { jsonBody } from "./jsonBody.js";
import { mountPreferenceRoutes } from "./preferences.js";
import { mountPushTokenRoutes } from "./pushTokens.js";
import { sendJson } from "./respond.js";

/**
 * The profile fields Courier routes messages by: the email address, the phone number and the other
 * channel addresses and tokens. Whoever can write one of them chooses where "send to self" goes, so the
 * proxy refuses them from the browser unless the app lists them in `writableRoutingFields`.
 */
export const ROUTING_FIELDS = [
  "email",
  "phone_number",
  "address",
  "firebaseToken",
  "apn",
  "expo",
  "airship",
  "onesignal",
  "slack",
  "discord",
  "ms_teams",
  "pagerduty",
  "webhook",
] as const;

/** One of {@link ROUTING_FIELDS}. */
export type RoutingField = (typeof ROUTING_FIELDS)[number];

/**
 * Options of {@link courierProxy}: who the signed-in user is, and what the browser may do on their behalf.
 * Everything beyond reading and updating the user's own profile, preferences and messages is off until
 * enabled here (list subscriptions, send to self, routing fields, tokens).
 *
 * @example
 * ```ts
 * const options: ProxyOptions = {
 *   client: createCourierClient(),
 *   getUserId: (req) => req.user?.id,
 *   lists: (listId) => listId.startsWith("news."),
 *   token: { scopes: ["read:messages"], expiresIn: "15 minutes" },
 * };
 * app.use("/api/courier", requireAuth, courierProxy(options));
 * ```
 */
export interface ProxyOptions {
  /** The server-side Courier client (with your API key) that the proxy calls Courier with. */
  client: CourierClient;
  /** The signed-in user's id, or nothing (then every route answers 401). */
  getUserId: (req: Request) => string | null | undefined | Promise<string | null | undefined>;
  /** Lists a user may subscribe to and unsubscribe from. Default: none. */
  lists?: readonly string[] | ((listId: string) => boolean);
  /**
   * Enables `POST /send` (send to self) with these templates. `allowContent: true` also accepts free-form
   * `{ title, body }` content: the signed-in user then writes the whole message your sender sends to
   * their own addresses. Default off.
   */
  send?: { templates: readonly string[]; allowContent?: boolean };
  /**
   * Routing fields ({@link ROUTING_FIELDS}) the browser may set with `PATCH /profile`. Default none: they
   * come from your own user record (e.g. through `courierProfileSync`), and setting one answers 403.
   */
  writableRoutingFields?: readonly RoutingField[];
  /** More profile fields a user may not set. `user_id` and `id` are never settable. */
  protectedFields?: readonly string[];
  /** Body size limit of the proxy's JSON parser. Default `"64kb"`. */
  bodyLimit?: string | number;
  /** Deepest nesting of a JSON body; deeper is 400. Default 32. */
  maxDepth?: number;
  /** Enables `POST /token`: a Courier JWT scoped to the signed-in user, for Courier's own web components. */
  token?: CourierTokenOptions;
}

/** Query and body keys that name a user: if any names someone else, the request is refused (403). */
const USER_KEYS = ["user_id", "userId", "recipient", "recipientId", "recipient_id", "to", "id"];
const LIST_ID = /^[A-Za-z0-9_\-:@+]+(\.[A-Za-z0-9_\-:@+]+){0,3}$/;
const MESSAGE_ID = /^[A-Za-z0-9_\-:.]+$/;

type Locals = { courierUserId: string };

function me(res: Response): string {
  return (res.locals as Locals).courierUserId;
}

function values(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

const USER_KEY_SET = new Set(USER_KEYS.map((k) => k.toLowerCase()));

/** Every leaf value under a query or body value (arrays and `a[b]=c` objects included). */
function leaves(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    for (const item of value) {
      leaves(item, out);
    }
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) {
      leaves(item, out);
    }
  } else {
    out.push(value);
  }
  return out;
}

/**
 * Refuses (403) a query or body that names any user but the signed-in one. Keys are compared without
 * case and without `[...]` suffixes, so `user_id[]=x`, `USER_ID=x` and `recipient[0]=x` are caught too.
 * (Bodies are depth-limited before this runs, so the recursion in `leaves` is bounded.)
 */
function assertNamesOnlyMe(source: Record<string, unknown> | undefined, userId: string, where: string): void {
  if (!source || typeof source !== "object") {
    return;
  }
  for (const key in source) {
    if (!Object.hasOwn(source, key)) {
      continue;
    }
    const bracket = key.indexOf("[");
    const base = (bracket === -1 ? key : key.slice(0, bracket)).toLowerCase();
    const value = source[key];
    if (!USER_KEY_SET.has(base) || value === undefined) {
      continue;
    }
    for (const leaf of leaves(value)) {
      if (leaf !== userId) {
        throw forbidden(`The ${where} names another user (${key})`);
      }
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A router that exposes only the signed-in user's own Courier data to the browser, with your API key
 * staying on the server. Mount it after your auth; the React hooks call it.
 *
 * Routes (`proxyRoutes` of `@courier-ts/core`): `GET|PATCH /profile`, `GET /subscriptions`,
 * `PUT|DELETE /subscriptions/:listId`, `GET /messages`, `GET /messages/:id`, `GET /messages/:id/history`,
 * `GET /preferences`, `PUT /preferences/:topicId`, `PUT|DELETE /tokens/:token`, and `POST /send` and
 * `POST /token` when enabled.
 *
 * Secure by default: routing fields (email, phone, channel addresses) are read-only, free-form send
 * content is off, bodies are JSON objects within a size and depth limit, and every error is JSON.
 *
 * @example
 * ```ts
 * import { createCourierClient } from "@courier-ts/client";
 * import { courierProxy } from "@courier-ts/express";
 * import express from "express";
 *
 * declare const requireAuth: express.RequestHandler; // your auth: sets req.user
 * declare global {
 *   namespace Express {
 *     interface Request { user?: { id: string } }
 *   }
 * }
 *
 * const app = express();
 * app.use("/api/courier", requireAuth, courierProxy({
 *   client: createCourierClient(),
 *   getUserId: (req) => req.user?.id,
 *   lists: ["product-updates", "weekly-digest"],
 *   send: { templates: ["WELCOME"] },
 * }));
 * ```
 */
export function courierProxy(options: ProxyOptions): Router {
  const { client } = options;
  const writable = new Set<string>(options.writableRoutingFields ?? []);
  const protectedFields = new Set([
    "user_id",
    "id",
    ...ROUTING_FIELDS.filter((field) => !writable.has(field)),
    ...(options.protectedFields ?? []),
  ]);
  const allowList = (listId: string) =>
    typeof options.lists === "function" ? options.lists(listId) : (options.lists ?? []).includes(listId);
  const router = express.Router();

  // Router-level protections, ahead of every route (including any mounted later in this function):
  // a bounded JSON-object body, the signed-in user, and nothing in the query or body naming anyone else.
  // One layer rather than two: each router layer costs a dispatch on every request.
  const parseBody = jsonBody({ limit: options.bodyLimit ?? "64kb", maxDepth: options.maxDepth ?? 32 });
  const identify = (req: Request, res: Response, userId: unknown) => {
    if (typeof userId !== "string" || userId === "") {
      throw unauthorized();
    }
    (res.locals as Locals).courierUserId = userId;
    // `req.query` re-parses the URL on every read in Express 5: read it only when there is a query.
    if (req.url.includes("?")) {
      assertNamesOnlyMe(req.query as Record<string, unknown>, userId, "query");
    }
    if (isPlainObject(req.body)) {
      assertNamesOnlyMe(req.body, userId, "body");
    }
  };
  const guard = (req: Request, res: Response, next: NextFunction) => {
    try {
      const pending = options.getUserId(req);
      // A synchronous getUserId (the usual case) costs no promise per request.
      if (typeof (pending as PromiseLike<unknown> | undefined)?.then === "function") {
        Promise.resolve(pending)
          .then((userId) => identify(req, res, userId))
          .then(() => next(), next);
        return;
      }
      identify(req, res, pending);
    } catch (error) {
      next(error);
      return;
    }
    next();
  };
  router.use((req: Request, res: Response, next: NextFunction) => {
    parseBody(req, res, (error?: unknown) => (error ? next(error) : guard(req, res, next)));
  });

  const wrap =
    (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
      handler(req, res).catch(next);

  router.get(
    routes.getProfile.path,
    wrap(async (_req, res) => {
      const result = await client.GET("/profiles/{user_id}", { params: { path: { user_id: me(res) } } });
      // No profile yet (never synced) is an empty profile, not an error.
      sendJson(res, 200, { profile: result.response.status === 404 ? {} : ((await unwrap(result))?.profile ?? {}) });
    }),
  );

  // Merge the given fields into the user's profile; protected fields cannot be set.
  router.patch(
    routes.updateProfile.path,
    wrap(async (req, res) => {
      const profile = (req.body as { profile?: unknown } | undefined)?.profile;
      if (!isPlainObject(profile)) {
        throw invalid("Body must be { profile: { ... } }");
      }
      assertNamesOnlyMe(profile, me(res), "profile");
      for (const field of Object.keys(profile)) {
        if (protectedFields.has(field)) {
          throw forbidden(`The profile field "${field}" cannot be changed here`);
        }
      }
      await unwrap(client.POST("/profiles/{user_id}", { params: { path: { user_id: me(res) } }, body: { profile } }));
      const { data } = await client.GET("/profiles/{user_id}", { params: { path: { user_id: me(res) } } });
      sendJson(res, 200, { profile: data?.profile ?? profile });
    }),
  );

  router.get(
    routes.getSubscriptions.path,
    wrap(async (_req, res) => {
      const data = await unwrap(client.GET("/profiles/{user_id}/lists", { params: { path: { user_id: me(res) } } }));
      const available = typeof options.lists === "function" ? undefined : (options.lists ?? []);
      sendJson(res, 200, { results: data.results, available });
    }),
  );

  const listParam = (req: Request): string => {
    const listId = String(req.params.listId ?? "");
    if (!LIST_ID.test(listId)) {
      throw invalid("Invalid list id");
    }
    if (!allowList(listId)) {
      throw forbidden(`Subscribing to "${listId}" is not allowed`);
    }
    return listId;
  };

  router.put(
    routes.subscribe.path,
    wrap(async (req, res) => {
      const listId = listParam(req);
      const preferences = (req.body as { preferences?: unknown } | undefined)?.preferences;
      if (preferences !== undefined && !isPlainObject(preferences)) {
        throw invalid("preferences must be an object");
      }
      await unwrap(
        client.PUT("/lists/{list_id}/subscriptions/{user_id}", {
          params: { path: { list_id: listId, user_id: me(res) } },
          body: preferences ? { preferences: preferences as never } : {},
        }),
      );
      res.status(204).end();
    }),
  );

  router.delete(
    routes.unsubscribe.path,
    wrap(async (req, res) => {
      const listId = listParam(req);
      const result = await client.DELETE("/lists/{list_id}/subscriptions/{user_id}", {
        params: { path: { list_id: listId, user_id: me(res) } },
      });
      // Not subscribed is already the wanted state; any other failure is Courier's typed error.
      if (!result.response.ok && result.response.status !== 404) {
        await unwrap(result);
      }
      res.status(204).end();
    }),
  );

  router.get(
    routes.getMessages.path,
    wrap(async (req, res) => {
      const query = req.query;
      const cursor = typeof query.cursor === "string" ? query.cursor : undefined;
      const status = values(query.status).filter((s): s is string => typeof s === "string");
      const tags = values(query.tags).filter((t): t is string => typeof t === "string" && t !== "");
      const archived = query.archived === "true" ? true : undefined;
      const data = await unwrap(
        client.GET("/messages", {
          params: {
            query: {
              recipient: me(res),
              cursor,
              status: status.length ? status : undefined,
              tags: tags.length ? tags.join(",") : undefined,
              archived,
            },
          },
        }),
      );
      sendJson(res, 200, data);
    }),
  );

  /** The message, if it is the user's; otherwise 404 (whether or not it exists). */
  async function ownMessage(req: Request, res: Response) {
    const messageId = String(req.params.messageId ?? "");
    if (!MESSAGE_ID.test(messageId)) {
      throw notFound();
    }
    try {
      const message = await unwrap(
        client.GET("/messages/{message_id}", { params: { path: { message_id: messageId } } }),
      );
      if (message.recipient !== me(res)) {
        throw notFound();
      }
      return message;
    } catch (error) {
      throw isNotFoundError(error) ? notFound() : error;
    }
  }

  router.get(
    routes.getMessage.path,
    wrap(async (req, res) => {
      sendJson(res, 200, await ownMessage(req, res));
    }),
  );

  router.get(
    routes.getMessageHistory.path,
    wrap(async (req, res) => {
      const message = await ownMessage(req, res);
      sendJson(
        res,
        200,
        await unwrap(client.GET("/messages/{message_id}/history", { params: { path: { message_id: message.id } } })),
      );
    }),
  );

  if (options.send) {
    const { templates, allowContent = false } = options.send;
    router.post(
      routes.sendToSelf.path,
      wrap(async (req, res) => {
        const body = (req.body ?? {}) as { template?: unknown; content?: unknown; data?: unknown };
        if (body.data !== undefined && !isPlainObject(body.data)) {
          throw invalid("data must be an object");
        }
        const data = body.data as Record<string, unknown> | undefined;
        let message: { template: string } | { content: { title: string; body: string } };
        if (typeof body.template === "string") {
          if (!templates.includes(body.template)) {
            throw forbidden(`Template "${body.template}" is not allowed`);
          }
          message = { template: body.template };
        } else if (allowContent && isPlainObject(body.content)) {
          const { title, body: text } = body.content;
          if (typeof title !== "string" || typeof text !== "string" || title.length > 200 || text.length > 5000) {
            throw invalid("content must be { title, body } strings");
          }
          message = { content: { title, body: text } };
        } else {
          throw invalid(allowContent ? "Give a template or { title, body } content" : "Give a template");
        }
        const result = await unwrap(
          client.POST("/send", { body: { message: { ...message, to: { user_id: me(res) }, data } } }),
        );
        sendJson(res, 202, result);
      }),
    );
  }

  mountPreferenceRoutes(router, client);
  mountPushTokenRoutes(router, client);
  if (options.token) {
    mountCourierTokenRoute(router, client, options.token);
  }

  router.use((_req: Request, _res: Response, next: NextFunction) => next(notFound()));
  router.use(jsonErrorHandler);
  return router;
}
