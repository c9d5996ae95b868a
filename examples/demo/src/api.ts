/** The demo's own endpoints (session, admin), beside the Courier proxy the hooks call. */
export async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body = response.status === 204 ? undefined : await response.json();
  if (!response.ok) {
    throw new Error((body as { message?: string })?.message ?? `${response.status}`);
  }
  return body as T;
}

export interface Session {
  userId: string | null;
  courier: { mode: "emulator" | "courier"; url?: string };
  liveUpdates: "webhooks" | "polling";
}
