/**
 * `POST /auth/issue-token`: a real ES256 JWT carrying the requested `scope`, `iat` and `exp`, signed by a key
 * pair each emulator makes on first use. `GET /__emulator/jwks` serves the public key, so tests verify tokens
 * with any JOSE library (e.g. jose's `createRemoteJWKSet`).
 *
 * Signing uses jsonwebtoken because route handlers are synchronous and jose only signs asynchronously;
 * `expires_in` is read with `ms`, the format Courier documents for it.
 */
import { createHash, generateKeyPairSync, type JsonWebKey, type KeyObject, randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import ms from "ms";
import { badRequest } from "../errors.js";
import { route } from "../router.js";
import type { Store } from "../store.js";

interface SigningKey {
  privateKey: KeyObject;
  jwk: JsonWebKey & { kid: string; alg: "ES256"; use: "sig" };
}

/** One key per emulator: kept across `reset()` so tokens issued before a reset still verify. */
const keys = new WeakMap<Store, SigningKey>();

function keyOf(store: Store): SigningKey {
  let key = keys.get(store);
  if (!key) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const { crv, kty, x, y } = publicKey.export({ format: "jwk" });
    // RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order.
    const kid = createHash("sha256").update(JSON.stringify({ crv, kty, x, y })).digest("base64url");
    key = { privateKey, jwk: { crv, kty, x, y, kid, alg: "ES256", use: "sig" } };
    keys.set(store, key);
  }
  return key;
}

/** The emulator's public signing keys as a JWK Set (`GET /__emulator/jwks`). */
export function tokenJwks(store: Store): { keys: JsonWebKey[] } {
  return { keys: [keyOf(store).jwk] };
}

/** Scopes that act on one user's data and so need a `user_id:<id>` scope beside them. */
const USER_SCOPES = [
  "read:messages",
  "read:user-tokens",
  "write:user-tokens",
  "inbox:read:messages",
  "inbox:write:events",
  "read:preferences",
  "write:preferences",
];
const BRAND_SCOPE = /^(read|write):brands(:.+)?$/;
const KNOWN = `user_id:<id>, ${USER_SCOPES.join(", ")}, read:brands[:<brand_id>], write:brands[:<brand_id>]`;
const MAX_LIFETIME_MS = ms("100y");

/** Checks a space-separated scope string and returns it normalised (single spaces). */
export function parseScope(scope: string): string {
  const scopes = scope.split(/\s+/).filter(Boolean);
  const users = scopes.filter((s) => s.startsWith("user_id:"));
  if (users.some((s) => s === "user_id:")) {
    throw badRequest('Scope "user_id:" needs a user id, e.g. "user_id:u1"');
  }
  const unknown = scopes.find((s) => !s.startsWith("user_id:") && !USER_SCOPES.includes(s) && !BRAND_SCOPE.test(s));
  if (unknown !== undefined) {
    throw badRequest(`Unknown scope "${unknown}". Known scopes: ${KNOWN}`);
  }
  if (scopes.length === users.length) {
    throw badRequest(
      scopes.length === 0
        ? 'scope must list at least one scope, e.g. "user_id:u1 read:preferences"'
        : "user_id scopes must be combined with another scope, e.g. read:preferences",
    );
  }
  const unbound = scopes.find((s) => USER_SCOPES.includes(s));
  if (unbound !== undefined && users.length === 0) {
    throw badRequest(`Scope "${unbound}" needs a user_id:<id> scope beside it`);
  }
  return scopes.join(" ");
}

/** `"2 days"`, `"1h"`, `"2.5 hrs"`, `"5s"`, `"1y"` → ms; a bare number is refused as ambiguous. */
export function parseExpiresIn(text: string): number {
  const trimmed = text.trim();
  if (/^[+-]?\d*\.?\d+$/.test(trimmed)) {
    throw badRequest(`expires_in "${text}" needs a unit, e.g. "${trimmed} seconds", "1h" or "2 days"`);
  }
  // ms answers undefined for anything it cannot read (and for strings over 100 characters).
  const value = ms(trimmed as ms.StringValue) as number | undefined;
  if (value === undefined || !Number.isFinite(value)) {
    throw badRequest(`expires_in "${text}" is not a duration such as "2 days", "10h", "2.5 hrs" or "5s"`);
  }
  if (value < 1000 || value > MAX_LIFETIME_MS) {
    throw badRequest(`expires_in "${text}" must be between 1 second and 100 years`);
  }
  return value;
}

export const authRoutes = [
  route("post", "/auth/issue-token", ({ body, store, now }) => {
    const scope = parseScope(body.scope);
    const iat = Math.floor(now / 1000);
    const exp = iat + Math.floor(parseExpiresIn(body.expires_in) / 1000);
    const { privateKey, jwk } = keyOf(store);
    // iat and exp come from the emulator's clock (not jsonwebtoken's), so an injected clock moves them too.
    const token = jwt.sign({ scope, iat, exp, jti: randomUUID() }, privateKey, { algorithm: "ES256", keyid: jwk.kid });
    return { status: 200, body: { token } };
  }),
];
