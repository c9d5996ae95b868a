/**
 * The client from its packed tarballs, in every runtime the README lists: a typed send and a profile read
 * against the emulator, a timeout against a server that never answers, and a typed 404.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Emulator, messagesOf, startEmulator } from "@courier-ts/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepare, RUNTIMES, runSmoke } from "../smoke/runtimes.ts";

let emulator: Emulator;
let stall: Server;
let stallUrl: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  await prepare();
  emulator = await startEmulator({ apiKey: "smoke-key" });
  // Accepts every request and never answers, so only the client's timeout can end the call.
  stall = createServer(() => undefined);
  stall.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => stall.listen(0, "127.0.0.1", resolve));
  stallUrl = `http://127.0.0.1:${(stall.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  for (const socket of sockets) {
    socket.destroy();
  }
  await new Promise<void>((resolve) => stall?.close(() => resolve()));
  await emulator?.close();
});

describe.each(RUNTIMES)("the packed client in %s", (runtime) => {
  it("sends, reads a profile, times out and gets a typed 404", async () => {
    const userId = `smoke-${runtime}`;
    const result = await runSmoke(runtime, { baseUrl: emulator.url, stallUrl, apiKey: "smoke-key", userId });
    expect(result.requestId).toMatch(/\S/);
    expect(result.email).toBe(`${userId}@example.com`);
    expect(result.notFound).toBe("NotFoundError 404");
    expect(result.timeout).toBe("TimeoutError");
    // The emulator recorded the send made from inside the runtime.
    const sent = [...messagesOf(emulator.state).values()].filter((m) => m.userId === userId);
    expect(sent).toHaveLength(1);
  }, 120_000);
});
