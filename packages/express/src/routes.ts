import {
  type PathParams,
  type ProxyContract,
  type ProxyResponse,
  type ProxyRouteName,
  proxyRoutes,
} from "@courier-ts/core";
import type { NextFunction, Request, Response, Router } from "express";
import { sendJson } from "./respond.js";

/** What a contract route's handler gets: the signed-in user and the request, typed by the contract. */
export interface RouteContext<N extends ProxyRouteName> {
  /** The signed-in user (the proxy's auth check has run). */
  userId: string;
  params: PathParams<(typeof proxyRoutes)[N]["path"]>;
  /** The parsed JSON body, unchecked: handlers validate it. */
  body: unknown;
  req: Request;
  res: Response;
}

/**
 * Mounts one route of the shared proxy contract on the router: its method and path come from
 * `proxyRoutes`, and the handler must answer the contract's response type (`undefined` is 204).
 */
export function mountRoute<N extends ProxyRouteName>(
  router: Router,
  name: N,
  handler: (context: RouteContext<N>) => Promise<ProxyResponse<N>>,
): void {
  const { method, path } = proxyRoutes[name];
  const verb = method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete";
  router[verb](path, (req: Request, res: Response, next: NextFunction) => {
    const userId = (res.locals as { courierUserId: string }).courierUserId;
    handler({ userId, params: req.params as RouteContext<N>["params"], body: req.body, req, res })
      .then((result: ProxyContract[N]["response"]) => {
        if (result === undefined) {
          res.status(204).end();
        } else {
          sendJson(res, 200, result as object);
        }
      })
      .catch(next);
  });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
