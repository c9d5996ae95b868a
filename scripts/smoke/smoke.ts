/**
 * What every runtime must do with the packed client: a typed send and a profile read against the emulator, a
 * timeout, and a typed 404. Uses web APIs only, so the same code runs in Node, Bun, Deno, workerd and Vercel's
 * edge-runtime. Each runtime's entry calls `smoke()` and prints (or returns) its result as JSON.
 */
import { createCourierClient, NotFoundError, TimeoutError, unwrap } from "@courier-ts/client";

export interface SmokeArgs {
  /** The emulator. */
  baseUrl: string;
  /** A server that accepts requests and never answers. */
  stallUrl: string;
  apiKey: string;
  userId: string;
}

export interface SmokeResult {
  requestId: string;
  email: unknown;
  notFound: string;
  timeout: string;
  timeoutMs: number;
}

export async function smoke({ baseUrl, stallUrl, apiKey, userId }: SmokeArgs): Promise<SmokeResult> {
  const courier = createCourierClient({ apiKey, baseUrl });
  const sent = await unwrap(
    courier.POST("/send", { body: { message: { to: { user_id: userId }, template: "SMOKE" } } }),
  );
  await unwrap(
    courier.PUT("/profiles/{user_id}", {
      params: { path: { user_id: userId } },
      body: { profile: { email: `${userId}@example.com` } },
    }),
  );
  const profile = await unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id: userId } } }));

  let notFound = "no error";
  try {
    await unwrap(courier.GET("/profiles/{user_id}", { params: { path: { user_id: `${userId}-missing` } } }));
  } catch (error) {
    notFound = error instanceof NotFoundError ? `NotFoundError ${error.status}` : String(error);
  }

  const stalled = createCourierClient({ apiKey, baseUrl: stallUrl, maxRetries: 0, timeout: 300 });
  const started = Date.now();
  let timeout = "no error";
  try {
    await stalled.GET("/profiles/{user_id}", { params: { path: { user_id: userId } } });
  } catch (error) {
    timeout = error instanceof TimeoutError ? "TimeoutError" : String(error);
  }
  return {
    requestId: sent.requestId,
    email: (profile.profile as Record<string, unknown> | undefined)?.email,
    notFound,
    timeout,
    timeoutMs: Date.now() - started,
  };
}
