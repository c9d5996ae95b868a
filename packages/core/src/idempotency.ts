/**
 * A fresh idempotency key: a random (v4) UUID from the platform's CSPRNG.
 *
 * `crypto.randomUUID` only exists in secure contexts: a browser page served over plain HTTP (other
 * than localhost) has `crypto.getRandomValues` alone, so the UUID is built from 16 random bytes there.
 *
 * @example
 * ```ts
 * await courier.POST("/send", { body, idempotencyKey: createIdempotencyKey() });
 * ```
 */
export function createIdempotencyKey(): string {
  const crypto = globalThis.crypto;
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  // RFC 9562 version 4 from random bytes: each `0` and `1` becomes a random hex digit, the `8` one of
  // 8, 9, a or b (the variant bits 10), and the `4` stays (the version).
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (+c ^ ((crypto.getRandomValues(new Uint8Array(1))[0] as number) & (15 >> (+c / 4)))).toString(16),
  );
}
