import type { CourierClient } from "@courier-ts/client";
import { unwrap } from "@courier-ts/client";
import type { CourierTokenResponse } from "@courier-ts/core";
import type { Router } from "express";
import ms from "ms";
import { LruCache } from "./lru.js";
import { mountRoute } from "./routes.js";

/** The scopes Courier's `POST /auth/issue-token` knows, apart from `user_id:<id>` (always the signed-in user). */
const SCOPE =
  /^(read:messages|read:user-tokens|write:user-tokens|inbox:read:messages|inbox:write:events|read:preferences|write:preferences|(read|write):brands(:[A-Za-z0-9_-]+)?)$/;

/** `POST /token` settings: what the issued Courier JWT may do, and how long it lives. */
export interface CourierTokenOptions {
  /**
   * What the token may do besides naming the user, e.g. `["read:preferences", "write:preferences",
   * "inbox:read:messages", "inbox:write:events"]`. At least one; `user_id:` scopes are refused (the
   * proxy adds the signed-in user's).
   */
  scopes: readonly string[];
  /** Courier's `expires_in`, e.g. `"1 hour"`, `"15m"`. Default `"1 hour"`; between 1 minute and 7 days. */
  expiresIn?: string;
  /** Users whose token is cached. Default 10,000. */
  maxEntries?: number;
}

/** The `exp` claim (epoch ms) of a JWT, when it has one. The token is Courier's: only its expiry is read. */
function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    return typeof payload.exp === "number" && Number.isFinite(payload.exp) ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the options at startup: a proxy that would issue wider tokens than asked must not start. */
function validate(options: CourierTokenOptions): { scopes: string; lifetimeMs: number; expiresIn: string } {
  if (!Array.isArray(options.scopes) || options.scopes.length === 0) {
    throw new Error("courierProxy: token.scopes needs at least one scope (e.g. read:preferences)");
  }
  for (const scope of options.scopes) {
    if (typeof scope !== "string" || !SCOPE.test(scope)) {
      throw new Error(`courierProxy: token scope "${String(scope)}" is not one Courier issues to a user`);
    }
  }
  const expiresIn = options.expiresIn ?? "1 hour";
  const lifetimeMs = typeof expiresIn === "string" ? ms(expiresIn as ms.StringValue) : Number.NaN;
  if (!Number.isFinite(lifetimeMs) || lifetimeMs < 60_000 || lifetimeMs > 7 * 86_400_000) {
    throw new Error(`courierProxy: token.expiresIn "${String(expiresIn)}" must be a duration from 1 minute to 7 days`);
  }
  return { scopes: [...new Set(options.scopes)].join(" "), lifetimeMs, expiresIn };
}

/**
 * `POST /token`: a Courier JWT for the signed-in user only (`user_id:<id>` plus the configured scopes),
 * from `POST /auth/issue-token`. One token per user is cached until shortly before it expires (a
 * quarter of its life, at most 5 minutes, before), and concurrent requests share one upstream call.
 */
export function mountCourierTokenRoute(router: Router, client: CourierClient, options: CourierTokenOptions): void {
  const { scopes, lifetimeMs, expiresIn } = validate(options);
  const margin = Math.min(lifetimeMs / 4, 300_000);
  const cache = new LruCache<string, CourierTokenResponse>(options.maxEntries ?? 10_000, lifetimeMs);
  const inflight = new Map<string, Promise<CourierTokenResponse>>();

  async function issue(userId: string): Promise<CourierTokenResponse> {
    const issuedAt = Date.now();
    const { token } = await unwrap(
      client.POST("/auth/issue-token", { body: { scope: `user_id:${userId} ${scopes}`, expires_in: expiresIn } }),
    );
    const result = { token, expiresAt: jwtExpiry(token) ?? issuedAt + lifetimeMs };
    cache.set(userId, result);
    return result;
  }

  // Its answer is `Cache-Control: no-store`, as every answer of the proxy is.
  mountRoute(router, "issueToken", async ({ userId }) => {
    const cached = cache.get(userId);
    if (cached && cached.expiresAt - margin > Date.now()) {
      return cached;
    }
    let pending = inflight.get(userId);
    if (!pending) {
      pending = issue(userId).finally(() => inflight.delete(userId));
      inflight.set(userId, pending);
    }
    return pending;
  });
}
