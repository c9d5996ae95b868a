/**
 * The official @trycourier/courier client, pointed at the emulator, through every core endpoint it has a method
 * for, with the results Courier documents (profile merge and replace, bulk job counters, automation run ids).
 * (`POST /send/{event}/routing` is a legacy endpoint the official client has no method for; the end-to-end suite
 * in `seedEndpoints.test.ts` covers it.)
 */
import { type Emulator, messagesOf, profilesOf, startEmulator } from "@courier-ts/emulator";
import Courier from "@trycourier/courier";
import { afterAll, beforeAll, expect, it } from "vitest";

let emulator: Emulator;
let now = Date.parse("2026-03-01T00:00:00Z");
let courier: Courier;

beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: "official",
    now: () => now,
    stepMs: 1000,
    automations: { ONBOARDING: [{ action: "send", template: "WELCOME" }] },
  });
  courier = new Courier({ apiKey: "official", baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

it("profiles: merge, replace, patch, delete", async () => {
  await courier.profiles.create("u1", { profile: { email: "u1@example.com", name: "One" } });
  await courier.profiles.create("u1", { profile: {} });
  expect((await courier.profiles.retrieve("u1")).profile).toEqual({ email: "u1@example.com", name: "One" });
  await courier.profiles.create("u1", { profile: { phone_number: "+15550001" } });
  expect((await courier.profiles.retrieve("u1")).profile).toEqual({
    email: "u1@example.com",
    name: "One",
    phone_number: "+15550001",
  });
  await courier.profiles.replace("u1", { profile: { email: "u1@example.com" } });
  expect((await courier.profiles.retrieve("u1")).profile).toEqual({ email: "u1@example.com" });
  await courier.profiles.update("u1", { patch: [{ op: "add", path: "/name", value: "Patched" }] });
  expect((await courier.profiles.retrieve("u1")).profile).toEqual({ email: "u1@example.com", name: "Patched" });
  await courier.profiles.create("gone", { profile: { email: "g@example.com" } });
  await courier.profiles.delete("gone");
  await expect(courier.profiles.retrieve("gone")).rejects.toMatchObject({ status: 404 });
});

it("lists and subscriptions, profile lists, send to a user and to a list", async () => {
  await courier.lists.update("teams.eng", { name: "Engineering" });
  await courier.lists.subscriptions.add("teams.eng", { recipients: [{ recipientId: "u1" }, { recipientId: "u2" }] });
  await courier.profiles.create("u2", { profile: { email: "u2@example.com" } });
  await courier.profiles.lists.subscribe("u1", { lists: [{ listId: "teams.ops" }] });
  expect((await courier.profiles.lists.retrieve("u1")).results.map((l) => l.id).sort()).toEqual([
    "teams.eng",
    "teams.ops",
  ]);
  expect((await courier.lists.subscriptions.list("teams.eng")).items.map((s) => s.recipientId)).toEqual(["u1", "u2"]);
  expect((await courier.lists.list({ pattern: "teams.*" })).items.map((l) => l.id).sort()).toEqual([
    "teams.eng",
    "teams.ops",
  ]);
  await courier.lists.delete("teams.ops");
  await expect(courier.lists.retrieve("teams.ops")).rejects.toMatchObject({ status: 404 });
  await courier.lists.restore("teams.ops", {});
  expect((await courier.lists.retrieve("teams.ops")).id).toBe("teams.ops");

  const single = await courier.send.message({ message: { to: { user_id: "u1" }, template: "WELCOME" } });
  const list = await courier.send.message({
    message: { to: { list_id: "teams.eng" }, content: { title: "Hi", body: "All" } },
  });
  const recipients = [...messagesOf(emulator.state).values()]
    .filter((m) => m.requestId === list.requestId)
    .map((m) => m.recipient);
  expect(recipients).toEqual(["u1", "u2"]);

  // Message get / history / cancel (200 while enqueued, 409 once sent).
  expect((await courier.messages.retrieve(single.requestId)).status).toBe("ENQUEUED");
  const canceled = await courier.messages.cancel(single.requestId);
  expect(canceled.status).toBe("CANCELED");
  const other = await courier.send.message({ message: { to: { user_id: "u2" }, template: "WELCOME" } });
  now += 1000;
  await expect(courier.messages.cancel(other.requestId)).rejects.toMatchObject({ status: 409 });
  now += 1000;
  const history = await courier.messages.history(other.requestId);
  expect(history.results.map((e) => (e as { type: string }).type)).toEqual(["ENQUEUED", "ROUTED", "SENT", "DELIVERED"]);
  await courier.requests.archive(other.requestId);
  expect(messagesOf(emulator.state).get(other.requestId)?.archived).toBe(true);
});

it("bulk: create → add users → run → status and users", async () => {
  const { jobId } = await courier.bulk.createJob({
    message: { event: "EXAMPLE_NOTIFICATION", data: { name: "Jane" } },
  });
  await courier.bulk.addUsers(jobId, {
    users: [{ recipient: "u1", profile: { email: "u1@example.com" } }, { recipient: "u2" }],
  });
  await courier.bulk.runJob(jobId);
  const { job } = await courier.bulk.retrieveJob(jobId);
  expect(job).toMatchObject({ status: "COMPLETED", received: 2, enqueued: 2, failures: 0 });
  expect((await courier.bulk.listUsers(jobId)).items.map((u) => u.status)).toEqual(["ENQUEUED", "ENQUEUED"]);
  await expect(courier.bulk.runJob(jobId)).rejects.toMatchObject({ status: 409 });
});

it("automations: ad-hoc steps and a template invoke return a runId", async () => {
  const before = messagesOf(emulator.state).size;
  const adHoc = await courier.automations.invoke.invokeAdHoc({
    automation: {
      steps: [
        { action: "send", template: "SAMPLE_TEMPLATE" },
        { action: "delay", until: "20240408T080910.123" },
      ],
    },
    data: { name: "Jane Doe", age: 27 },
    profile: { user_id: "fubar", email: "hello@example.com" },
  });
  expect(adHoc.runId).toMatch(/^1-/);
  const byTemplate = await courier.automations.invoke.invokeByTemplate("ONBOARDING", { recipient: "u1" });
  expect(byTemplate.runId).toMatch(/^1-/);
  expect(messagesOf(emulator.state).size).toBe(before + 2);
  expect(profilesOf(emulator.state).get("fubar")?.profile).toMatchObject({ email: "hello@example.com" });
});
