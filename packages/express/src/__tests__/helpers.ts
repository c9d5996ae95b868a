import type { AddressInfo } from "node:net";
import { type CourierClient, createCourierClient } from "@courier-ts/client";
import { type Emulator, type EmulatorOptions, listsOf, startEmulator } from "@courier-ts/emulator";
import type express from "express";
import type { Express } from "express";

export const API_KEY = "express-test-key";

export interface Running {
  url: string;
  close: () => Promise<void>;
}

export async function listen(app: Express): Promise<Running> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function emulatorAndClient(options: EmulatorOptions = {}, clientOptions = {}) {
  const emulator: Emulator = await startEmulator({ apiKey: API_KEY, ...options });
  const client: CourierClient = createCourierClient({ apiKey: API_KEY, baseUrl: emulator.url, ...clientOptions });
  return { emulator, client };
}

/** The app's own auth, simplified: the `x-user` header names the signed-in user. */
export function fakeAuth(req: express.Request, _res: express.Response, next: express.NextFunction) {
  const user = req.get("x-user");
  (req as express.Request & { userId?: string }).userId = user || undefined;
  next();
}

export const userIdOf = (req: express.Request) => (req as express.Request & { userId?: string }).userId;

/** The ids of the lists the emulator has `userId` subscribed to. */
export function listIdsOf(emulator: Emulator, userId: string): string[] {
  return listsOf(emulator.state)
    .subscriptionsOf(userId)
    .map((s) => s.listId);
}
