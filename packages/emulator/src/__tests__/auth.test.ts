import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { manualClock, setup } from "./helpers.js";

const clock = manualClock();
const t = setup({ now: clock.now });

async function issue(scope: string, expires_in: string) {
  return t.courier.POST("/auth/issue-token", { body: { scope, expires_in } });
}

function jwks() {
  return createRemoteJWKSet(new URL("/__emulator/jwks", t.emulator.url));
}

describe("POST /auth/issue-token", () => {
  it("issues an ES256 JWT with the scope and expiry asked for, verified against the emulator's JWKS", async () => {
    const { data, response } = await issue("user_id:u1  read:preferences write:preferences", "2 days");
    expect(response.status).toBe(200);
    const token = data?.token ?? "";
    const iat = Math.floor(clock.now() / 1000);
    const { payload, protectedHeader } = await jwtVerify(token, jwks(), {
      algorithms: ["ES256"],
      currentDate: new Date(clock.now()),
    });
    expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "JWT" });
    expect(payload).toMatchObject({ scope: "user_id:u1 read:preferences write:preferences", iat });
    expect(payload.exp).toBe(iat + 2 * 86_400);
    expect(payload.jti).toEqual(expect.any(String));

    await expect(
      jwtVerify(token, jwks(), { currentDate: new Date(clock.now() + 2 * 86_400_000 + 1000) }),
    ).rejects.toBeInstanceOf(errors.JWTExpired);
    // A widened scope breaks the signature.
    const [header, , signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...payload, scope: "user_id:u2 read:preferences" })).toString(
      "base64url",
    );
    await expect(
      jwtVerify(`${header}.${forged}.${signature}`, jwks(), { currentDate: new Date(clock.now()) }),
    ).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it("reads every expires_in format Courier documents", async () => {
    const cases: Array<[string, number]> = [
      ["2 hours", 7200],
      ["1d", 86_400],
      ["3 days", 259_200],
      ["10h", 36_000],
      ["2.5 hrs", 9000],
      ["1m", 60],
      ["5s", 5],
      ["1y", 31_557_600],
      ["1 week", 604_800],
    ];
    for (const [expires_in, seconds] of cases) {
      const { data } = await issue("user_id:u1 read:messages", expires_in);
      const { payload } = await jwtVerify(data?.token ?? "", jwks(), { currentDate: new Date(clock.now()) });
      expect((payload.exp ?? 0) - (payload.iat ?? 0), expires_in).toBe(seconds);
    }
  });

  it("refuses unknown scopes, lone user ids, user scopes without a user, and unreadable durations", async () => {
    const cases: Array<[string, string, string]> = [
      ["user_id:u1 read:everything", "1h", 'Unknown scope "read:everything"'],
      ["user_id:u1 user_id:u2", "1h", "user_id scopes must be combined with another scope"],
      ["read:preferences", "1h", 'Scope "read:preferences" needs a user_id:<id> scope'],
      ["", "1h", "scope must list at least one scope"],
      ["user_id: read:messages", "1h", 'Scope "user_id:" needs a user id'],
      ["user_id:u1 read:messages", "soon", 'expires_in "soon" is not a duration'],
      ["user_id:u1 read:messages", "3600", 'expires_in "3600" needs a unit'],
      ["user_id:u1 read:messages", "0s", "must be between 1 second and 100 years"],
      ["user_id:u1 read:messages", "1000y", "must be between 1 second and 100 years"],
    ];
    for (const [scope, expires_in, message] of cases) {
      const { response, error } = await issue(scope, expires_in);
      expect(response.status, `${scope} / ${expires_in}`).toBe(400);
      expect(error).toMatchObject({ type: "invalid_request_error" });
      expect((error as { message: string }).message).toContain(message);
    }
    const missing = await t.courier.POST("/auth/issue-token", { body: { scope: "read:brands" } as never });
    expect(missing.response.status).toBe(400);
    expect((missing.error as { message: string }).message).toContain("expires_in is required");
  });

  it("accepts brand scopes without a user, and a brand id", async () => {
    const { data } = await issue("read:brands write:brands:my_brand", "1h");
    const { payload } = await jwtVerify(data?.token ?? "", jwks(), { currentDate: new Date(clock.now()) });
    expect(payload.scope).toBe("read:brands write:brands:my_brand");
  });

  it("keeps its key across reset, and another emulator's key does not verify it", async () => {
    const { data } = await issue("user_id:u1 inbox:read:messages inbox:write:events", "1h");
    const token = data?.token ?? "";
    const before = (await (await fetch(new URL("/__emulator/jwks", t.emulator.url))).json()) as {
      keys: Array<{ kid: string; kty: string; crv: string; d?: string }>;
    };
    expect(before.keys).toHaveLength(1);
    expect(before.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(before.keys[0]?.d).toBeUndefined();
    expect(decodeProtectedHeader(token).kid).toBe(before.keys[0]?.kid);
    t.emulator.reset();
    const after = await (await fetch(new URL("/__emulator/jwks", t.emulator.url))).json();
    expect(after).toEqual(before);

    const { startEmulator } = await import("../index.js");
    const other = await startEmulator();
    try {
      await fetch(`${other.url}/auth/issue-token`, {
        method: "POST",
        headers: { authorization: "Bearer k", "content-type": "application/json" },
        body: JSON.stringify({ scope: "read:brands", expires_in: "1h" }),
      });
      const otherKeys = await (await fetch(`${other.url}/__emulator/jwks`)).json();
      await expect(
        jwtVerify(token, createLocalJWKSet(otherKeys), { currentDate: new Date(clock.now()) }),
      ).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    } finally {
      await other.close();
    }
  });
});
