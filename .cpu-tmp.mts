import { createCourierClient } from "@courier-ts/client";
import createClient from "openapi-fetch";
const body = '{"requestId":"1-65f240a0-47a6a120c8374de9bcf9f22a"}';
const stub = async () => new Response(body, { status: 202, headers: { "content-type": "application/json" } });
const message = { message: { to: { user_id: "user-1" }, template: "WELCOME", data: { name: "Jane" } } };
const url = "http://127.0.0.1:1";
const bare = createClient<any>({ baseUrl: url, fetch: stub, headers: { Authorization: "Bearer k" } });
const ours = createCourierClient({ apiKey: "k", baseUrl: url, fetch: stub });
const c: Array<[string, () => Promise<unknown>]> = [["bare", () => bare.POST("/send", { body: message })], ["ours", () => ours.POST("/send", { body: message })]];
const res: Record<string, number> = {};
for (let round = 0; round < 8; round++) for (const [n, f] of c) {
  for (let i = 0; i < 2000; i++) await f();
  const s = process.cpuUsage(); const N = 20000;
  for (let i = 0; i < N; i++) await f();
  const u = process.cpuUsage(s); res[n] = Math.min(res[n] ?? 1e9, (u.user + u.system) / N);
}
console.log(res, "delta", (res.ours - res.bare).toFixed(1));
