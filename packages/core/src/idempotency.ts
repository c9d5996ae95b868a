/**
 * A fresh idempotency key: a random (v4) UUID from the platform's CSPRNG.
 *
 * @example
 * ```ts
 * await courier.POST("/send", { body, idempotencyKey: createIdempotencyKey() });
 * ```
 */
export function createIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
