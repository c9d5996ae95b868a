import createClient from "openapi-fetch";
const body = '{"requestId":"1-65f240a0-47a6a120c8374de9bcf9f22a"}';
const stub = async () => new Response(body, { status: 202, headers: { "content-type": "application/json" } });
const message = { message: { to: { user_id: "user-1" }, template: "WELCOME", data: { name: "Jane" } } };
const url = "http://127.0.0.1:1";
const variants: Record<string, (r: Request) => Promise<Response>> = {
  bare: stub,
  wrapStream: async () => { const r = await stub(); const reader = r.body!.getReader(); return new Response(new ReadableStream({ async pull(c) { const x = await reader.read(); if (x.done) c.close(); else c.enqueue(x.value); } }), r); },
  arrayBuffer: async () => { const r = await stub(); const b = await r.arrayBuffer(); return new Response(b, r); },
  readerLoop: async () => { const r = await stub(); const reader = r.body!.getReader(); const chunks: Uint8Array[] = []; let n = 0; for (;;) { const x = await reader.read(); if (x.done) break; n += x.value.byteLength; chunks.push(x.value); } return new Response(chunks.length === 1 ? chunks[0] : new Blob(chunks), r); },
  ctlTimer: async (req) => { const c = new AbortController(); const t = setTimeout(() => c.abort(), 60000); req.signal.addEventListener("abort", () => c.abort()); const r = await stub(); clearTimeout(t); return r; },
  reqText: async (req) => { await req.text(); return stub(); },
  headersSet: async (req) => { req.headers.set("Idempotency-Key", crypto.randomUUID()); return stub(); },
};
const res: Record<string, number> = {};
for (let round = 0; round < 3; round++) for (const [n, f] of Object.entries(variants)) {
  const c = createClient<any>({ baseUrl: url, fetch: f, headers: { Authorization: "Bearer k" } });
  for (let i = 0; i < 2000; i++) await c.POST("/send", { body: message });
  const s = process.cpuUsage(); const N = 20000;
  for (let i = 0; i < N; i++) await c.POST("/send", { body: message });
  const u = process.cpuUsage(s); res[n] = Math.min(res[n] ?? 1e9, (u.user + u.system) / N);
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(12), v.toFixed(1), (v - res.bare).toFixed(1));
