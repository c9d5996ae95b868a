import type { CourierClient } from "@courier-ts/client";
import { unwrap } from "@courier-ts/client";
import { isNotFoundError, proxyRoutes as routes } from "@courier-ts/core";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { type CourierTokenOptions, mountCourierTokenRoute } from "./courierToken.js";
import { forbidden, invalid, jsonErrorHandler, notFound, unauthorized } from "./errors.js";
import { mountPreferenceRoutes } from "./preferences.js";
import { mountPushTokenRoutes } from "./pushTokens.js";

export interface ProxyOptions {
  client: CourierClient;
  /** The signed-in user's id, or nothing (then every route answers 401). */
  getUserId: (req: Request) => string | null | undefined | Promise<string | null | undefined>;
  /** Lists a user may subscribe to and unsubscribe from. Default: none. */
  lists?: readonly string[] | ((listId: string) => boolean);
  /** Enables `POST /send` (send to self) with these templates; `allowContent` also allows `{ title, body }`. */
  send?: { templates: readonly string[]; allowContent?: boolean };
  /** Profile fields a user may not set. Always includes `user_id` and `id`. */
  protectedFields?: readonly string[];
  /** Body size limit of the proxy's JSON parser. Default `"64kb"`. */
  bodyLimit?: string;
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
function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value.flatMap(leaves);
  }
  if (value && typeof value === "object") {
    return Object.values(value).flatMap(leaves);
  }
  return [value];
}

/**
 * Refuses (403) a query or body that names any user but the signed-in one. Keys are compared without
 * case and without `[...]` suffixes, so `user_id[]=x`, `USER_ID=x` and `recipient[0]=x` are caught too.
 */
function assertNamesOnlyMe(source: Record<string, unknown> | undefined, userId: string, where: string): void {
  if (!source || typeof source !== "object") {
    return;
  }
  for (const [key, value] of Object.entries(source)) {
    const base = key.replace(/\[.*$/, "").toLowerCase();
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
 * @example
 * ```ts
 * app.use("/api/courier", requireAuth, courierProxy({
 *   client: courier,
 *   getUserId: (req) => req.user?.id,
 *   lists: ["product-updates", "weekly-digest"],
 *   send: { templates: ["WELCOME"], allowContent: true },
 * }));
 * ```
 */
export function courierProxy(options: ProxyOptions): Router {
  const { client } = options;
  const protectedFields = new Set(["user_id", "id", ...(options.protectedFields ?? [])]);
  const allowList = (listId: string) =>
    typeof options.lists === "function" ? options.lists(listId) : (options.lists ?? []).includes(listId);
  const router = express.Router();
  router.use(express.json({ limit: options.bodyLimit ?? "64kb" }));

  // Who is asking; and nothing in the query or body may name anyone else.
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const userId = await options.getUserId(req);
      if (typeof userId !== "string" || userId === "") {
        throw unauthorized();
      }
      (res.locals as Locals).courierUserId = userId;
      assertNamesOnlyMe(req.query as Record<string, unknown>, userId, "query");
      if (isPlainObject(req.body)) {
        assertNamesOnlyMe(req.body, userId, "body");
      }
      next();
    } catch (error) {
      next(error);
    }
  });

  const wrap =
    (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
      handler(req, res).catch(next);

  router.get(
    routes.getProfile.path,
    wrap(async (_req, res) => {
      const result = await client.GET("/profiles/{user_id}", { params: { path: { user_id: me(res) } } });
      // No profile yet (never synced) is an empty profile, not an error.
      res.json({ profile: result.response.status === 404 ? {} : ((await unwrap(result))?.profile ?? {}) });
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
          throw forbidden(`The profile field "${field}" cannot be changed`);
        }
      }
      await unwrap(client.POST("/profiles/{user_id}", { params: { path: { user_id: me(res) } }, body: { profile } }));
      const { data } = await client.GET("/profiles/{user_id}", { params: { path: { user_id: me(res) } } });
      res.json({ profile: data?.profile ?? profile });
    }),
  );

  router.get(
    routes.getSubscriptions.path,
    wrap(async (_req, res) => {
      const data = await unwrap(client.GET("/profiles/{user_id}/lists", { params: { path: { user_id: me(res) } } }));
      const available = typeof options.lists === "function" ? undefined : (options.lists ?? []);
      res.json({ results: data.results, available });
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
      const { response } = await client.DELETE("/lists/{list_id}/subscriptions/{user_id}", {
        params: { path: { list_id: listId, user_id: me(res) } },
      });
      if (!response.ok && response.status !== 404) {
        throw new Error(`unsubscribe failed with ${response.status}`);
      }
      res.status(204).end();
    }),
  );

  router.get(
    routes.getMessages.path,
    wrap(async (req, res) => {
      const cursor = typeof req.query.cursor === "string" ? req.query.cursor : undefined;
      const status = values(req.query.status).filter((s): s is string => typeof s === "string");
      const tags = values(req.query.tags).filter((t): t is string => typeof t === "string" && t !== "");
      const archived = req.query.archived === "true" ? true : undefined;
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
      res.json(data);
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
      res.json(await ownMessage(req, res));
    }),
  );

  router.get(
    routes.getMessageHistory.path,
    wrap(async (req, res) => {
      const message = await ownMessage(req, res);
      res.json(
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
        res.status(202).json(result);
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
