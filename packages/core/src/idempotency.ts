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
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // RFC 9562 version 4: the version nibble is 4, the variant bits are 10.
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => (byte + 256).toString(16).slice(1)).join("");
  return hex.replace(/(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
}
