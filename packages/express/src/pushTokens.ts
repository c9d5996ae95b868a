import type { CourierClient } from "@courier-ts/client";
import { unwrap } from "@courier-ts/client";
import { isNotFoundError, type PushTokenInput } from "@courier-ts/core";
import type { Router } from "express";
import { invalid, notFound } from "./errors.js";
import { isPlainObject, mountRoute } from "./routes.js";

/** FCM, APNs, Expo (`ExponentPushToken[...]`) and OneSignal tokens; never `/`, `%` or whitespace. */
const TOKEN = /^[A-Za-z0-9_\-:.[\]]{1,4096}$/;
const PROVIDERS = new Set(["firebase-fcm", "apn", "expo", "onesignal"]);
const DEVICE_FIELDS = ["app_id", "ad_id", "device_id", "platform", "manufacturer", "model"] as const;

function tokenParam(value: unknown): string {
  const token = String(value ?? "");
  if (!TOKEN.test(token)) {
    throw notFound();
  }
  return token;
}

function parseToken(body: unknown): PushTokenInput {
  if (!isPlainObject(body) || typeof body.provider_key !== "string" || !PROVIDERS.has(body.provider_key)) {
    throw invalid(`Body must be { provider_key: ${[...PROVIDERS].join(" | ")}, expiry_date?, device?, properties? }`);
  }
  const { expiry_date: expiry, device, properties } = body;
  if (expiry !== undefined && expiry !== false && (typeof expiry !== "string" || Number.isNaN(Date.parse(expiry)))) {
    throw invalid("expiry_date must be an ISO 8601 date or false");
  }
  if (device !== undefined && !isPlainObject(device)) {
    throw invalid("device must be an object");
  }
  if (properties !== undefined && !isPlainObject(properties)) {
    throw invalid("properties must be an object");
  }
  // Only the device fields Courier defines, and only strings.
  const cleanDevice: NonNullable<PushTokenInput["device"]> = {};
  for (const field of DEVICE_FIELDS) {
    const value = device?.[field];
    if (value !== undefined) {
      if (typeof value !== "string" || value.length > 256) {
        throw invalid(`device.${field} must be a string`);
      }
      cleanDevice[field] = value;
    }
  }
  return {
    provider_key: body.provider_key as PushTokenInput["provider_key"],
    ...(expiry !== undefined ? { expiry_date: expiry as string | false } : {}),
    ...(device !== undefined ? { device: cleanDevice } : {}),
    ...(properties !== undefined ? { properties } : {}),
  };
}

/** `PUT /tokens/:token` and `DELETE /tokens/:token`: the signed-in user's own device tokens. */
export function mountPushTokenRoutes(router: Router, client: CourierClient): void {
  mountRoute(router, "putPushToken", async ({ userId, params, body }) => {
    const token = tokenParam(params.token);
    const input = parseToken(body);
    await unwrap(
      client.PUT("/users/{user_id}/tokens/{token}", {
        params: { path: { user_id: userId, token } },
        body: { ...input, token },
      }),
    );
    return undefined;
  });

  mountRoute(router, "deletePushToken", async ({ userId, params }) => {
    const token = tokenParam(params.token);
    try {
      await unwrap(client.DELETE("/users/{user_id}/tokens/{token}", { params: { path: { user_id: userId, token } } }));
    } catch (error) {
      // Already gone: deleting is idempotent.
      if (!isNotFoundError(error)) {
        throw error;
      }
    }
    return undefined;
  });
}
