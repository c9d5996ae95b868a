import { beforeEach, describe, expect, it } from "vitest";
import { preferencesSeed } from "../handlers/userPreferences.js";
import { manualClock, setup } from "./helpers.js";

const clock = manualClock();
const STEP = 1000;
const t = setup({ now: clock.now, stepMs: STEP });
const user_id = "u1";

/** Two sections, three topics: one on by default, one off by default, one required. */
beforeEach(() => {
  preferencesSeed.load(
    t.emulator.state,
    [
      {
        id: "marketing",
        name: "Marketing",
        topics: [
          { id: "news", name: "Newsletter", default_status: "OPTED_IN", notifications: ["NEWSLETTER"] },
          { id: "promos", name: "Promotions", default_status: "OPTED_OUT", routing_options: ["email", "sms"] },
        ],
      },
      {
        id: "security",
        name: "Security",
        topics: [{ id: "login", name: "Sign-in alerts", default_status: "REQUIRED", notifications: ["LOGIN"] }],
      },
    ],
    clock.now(),
  );
});

async function list(tenant_id?: string) {
  const { data, response } = await t.courier.GET("/users/{user_id}/preferences", {
    params: { path: { user_id }, query: tenant_id ? { tenant_id } : {} },
  });
  expect(response.status).toBe(200);
  return data;
}

async function put(topic_id: string, topic: Record<string, unknown>, tenant_id?: string) {
  return t.courier.PUT("/users/{user_id}/preferences/{topic_id}", {
    params: { path: { user_id, topic_id }, query: tenant_id ? { tenant_id } : {} },
    body: { topic: topic as never },
  });
}

function statuses(items: Array<{ topic_id: string; status: string }> | undefined) {
  return Object.fromEntries((items ?? []).map((i) => [i.topic_id, i.status]));
}

describe("users' preferences", () => {
  it("lists every topic grouped by section, with the topic's default until the user chooses", async () => {
    const data = await list();
    expect(data).toEqual({
      paging: { cursor: null, more: false },
      items: [
        {
          topic_id: "news",
          topic_name: "Newsletter",
          section_id: "marketing",
          section_name: "Marketing",
          status: "OPTED_IN",
          default_status: "OPTED_IN",
          has_custom_routing: false,
          custom_routing: [],
        },
        expect.objectContaining({ topic_id: "promos", section_id: "marketing", status: "OPTED_OUT" }),
        expect.objectContaining({ topic_id: "login", section_id: "security", section_name: "Security" }),
      ],
    });
    expect(data?.items[2]?.status).toBe("REQUIRED");
  });

  it("PUT, GET, list and DELETE of one topic agree", async () => {
    const updated = await put("promos", { status: "OPTED_IN", has_custom_routing: true, custom_routing: ["sms"] });
    expect(updated.response.status).toBe(200);
    expect(updated.data).toEqual({ message: "success" });
    const got = await t.courier.GET("/users/{user_id}/preferences/{topic_id}", {
      params: { path: { user_id, topic_id: "promos" } },
    });
    expect(got.data?.topic).toEqual({
      topic_id: "promos",
      topic_name: "Promotions",
      section_id: "marketing",
      section_name: "Marketing",
      status: "OPTED_IN",
      default_status: "OPTED_OUT",
      has_custom_routing: true,
      custom_routing: ["sms"],
    });
    expect((await list())?.items.find((i) => i.topic_id === "promos")).toEqual(got.data?.topic);

    const removed = await t.courier.DELETE("/users/{user_id}/preferences/{topic_id}", {
      params: { path: { user_id, topic_id: "promos" } },
    });
    expect(removed.response.status).toBe(204);
    expect(statuses((await list())?.items).promos).toBe("OPTED_OUT");
    const again = await t.courier.DELETE("/users/{user_id}/preferences/{topic_id}", {
      params: { path: { user_id, topic_id: "promos" } },
    });
    expect(again.response.status).toBe(204);
  });

  it("a REQUIRED topic refuses an opt-out with a 400 and stays REQUIRED", async () => {
    const refused = await put("login", { status: "OPTED_OUT" });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toEqual({
      message: 'Topic "login" is REQUIRED: users cannot opt out of it',
      type: "invalid_request_error",
    });
    const channels = await put("login", { status: "OPTED_IN", has_custom_routing: true, custom_routing: ["push"] });
    expect(channels.response.status).toBe(200);
    const got = await t.courier.GET("/users/{user_id}/preferences/{topic_id}", {
      params: { path: { user_id, topic_id: "login" } },
    });
    expect(got.data?.topic).toMatchObject({ status: "REQUIRED", custom_routing: ["push"] });
  });

  it("refuses REQUIRED from a user, channels outside the topic's options, unknown topics and bad bodies", async () => {
    const required = await put("news", { status: "REQUIRED" });
    expect(required.response.status).toBe(400);
    const channel = await put("promos", { status: "OPTED_IN", custom_routing: ["push"] });
    expect(channel.response.status).toBe(400);
    expect((channel.error as { message: string }).message).toBe(
      'Channel "push" is not a routing option of topic "promos" (email, sms)',
    );
    const unknown = await put("nope", { status: "OPTED_IN" });
    expect(unknown.response.status).toBe(404);
    const getUnknown = await t.courier.GET("/users/{user_id}/preferences/{topic_id}", {
      params: { path: { user_id, topic_id: "nope" } },
    });
    expect(getUnknown.response.status).toBe(404);
    const badStatus = await put("news", { status: "MAYBE" });
    expect(badStatus.response.status).toBe(400);
    expect(statuses((await list())?.items)).toEqual({ news: "OPTED_IN", promos: "OPTED_OUT", login: "REQUIRED" });
  });

  it("keeps choices per tenant, falling back to the user's own choice", async () => {
    await put("news", { status: "OPTED_OUT" });
    await put("promos", { status: "OPTED_IN" }, "acme");
    expect(statuses((await list())?.items)).toEqual({ news: "OPTED_OUT", promos: "OPTED_OUT", login: "REQUIRED" });
    expect(statuses((await list("acme"))?.items)).toEqual({ news: "OPTED_OUT", promos: "OPTED_IN", login: "REQUIRED" });
  });

  it("bulk update applies valid topics and reports the others", async () => {
    const { data } = await t.courier.POST("/users/{user_id}/preferences", {
      params: { path: { user_id } },
      body: {
        topics: [
          { topic_id: "promos", status: "OPTED_IN", has_custom_routing: true, custom_routing: ["email"] },
          { topic_id: "login", status: "OPTED_OUT" },
          { topic_id: "ghost", status: "OPTED_IN" },
        ],
      },
    });
    expect(data).toEqual({
      items: [{ topic_id: "promos", status: "OPTED_IN", has_custom_routing: true, custom_routing: ["email"] }],
      errors: [
        { topic_id: "login", reason: 'Topic "login" is REQUIRED: users cannot opt out of it' },
        { topic_id: "ghost", reason: 'Topic "ghost" not found' },
      ],
    });
    expect(statuses((await list())?.items).promos).toBe("OPTED_IN");
  });

  it("bulk replace swaps the whole set and names what it deleted; any refusal changes nothing", async () => {
    await put("news", { status: "OPTED_OUT" });
    await put("promos", { status: "OPTED_IN" });
    const refused = await t.courier.PUT("/users/{user_id}/preferences", {
      params: { path: { user_id } },
      body: { topics: [{ topic_id: "login", status: "OPTED_OUT" }] },
    });
    expect(refused.response.status).toBe(400);
    expect(statuses((await list())?.items)).toEqual({ news: "OPTED_OUT", promos: "OPTED_IN", login: "REQUIRED" });
    const replaced = await t.courier.PUT("/users/{user_id}/preferences", {
      params: { path: { user_id } },
      body: { topics: [{ topic_id: "promos", status: "OPTED_OUT" }] },
    });
    expect(replaced.data).toEqual({
      deleted: ["news"],
      items: [{ topic_id: "promos", status: "OPTED_OUT", has_custom_routing: false, custom_routing: [] }],
    });
    expect(statuses((await list())?.items)).toEqual({ news: "OPTED_IN", promos: "OPTED_OUT", login: "REQUIRED" });
  });

  it("a fixture loads users' choices under the same rules", async () => {
    preferencesSeed.load(
      t.emulator.state,
      [{ user_id: "u2", topics: [{ topic_id: "promos", status: "OPTED_IN" }] }],
      clock.now(),
    );
    const got = await t.courier.GET("/users/{user_id}/preferences/{topic_id}", {
      params: { path: { user_id: "u2", topic_id: "promos" } },
    });
    expect(got.data?.topic.status).toBe("OPTED_IN");
    expect(() =>
      preferencesSeed.load(
        t.emulator.state,
        [{ user_id: "u2", topics: [{ topic_id: "login", status: "OPTED_OUT" }] }],
        clock.now(),
      ),
    ).toThrow('preferences fixture [0]: Topic "login" is REQUIRED: users cannot opt out of it');
  });
});

describe("a send honours the user's preferences", () => {
  async function send(message: Record<string, unknown>) {
    const { data, response } = await t.courier.POST("/send", { body: { message } as never });
    expect(response.status).toBe(202);
    return data?.requestId ?? "";
  }

  async function message(message_id: string) {
    const { data } = await t.courier.GET("/messages/{message_id}", { params: { path: { message_id } } });
    return data;
  }

  beforeEach(async () => {
    await t.courier.POST("/profiles/{user_id}", {
      params: { path: { user_id } },
      body: { profile: { email: "u1@x.io" } },
    });
  });

  it("an opt-out filters the topic's messages (FILTERED, UNSUBSCRIBED) and nothing is sent", async () => {
    await put("news", { status: "OPTED_OUT" });
    const byTemplate = await send({ to: { user_id }, template: "NEWSLETTER" });
    const byTopic = await send({ to: { user_id }, template: "OTHER", preferences: { subscription_topic_id: "news" } });
    clock.advance(3 * STEP);
    for (const id of [byTemplate, byTopic]) {
      expect(await message(id)).toMatchObject({ status: "FILTERED", reason: "UNSUBSCRIBED", sent: 0, delivered: 0 });
      const history = await t.courier.GET("/messages/{message_id}/history", { params: { path: { message_id: id } } });
      expect(history.data?.results.map((e) => e.type)).toEqual(["ENQUEUED", "FILTERED"]);
      const output = await t.courier.GET("/messages/{message_id}/output", { params: { path: { message_id: id } } });
      expect(output.data?.results).toEqual([]);
    }
    const filtered = await t.courier.GET("/messages", { params: { query: { status: ["FILTERED"] } } });
    expect(filtered.data?.results.map((m) => m.id).sort()).toEqual([byTemplate, byTopic].sort());
  });

  it("a topic that is off by default needs the user's opt-in (OPT_IN_REQUIRED), and then delivers", async () => {
    const before = await send({ to: { user_id }, template: "X", preferences: { subscription_topic_id: "promos" } });
    await put("promos", { status: "OPTED_IN" });
    const after = await send({ to: { user_id }, template: "X", preferences: { subscription_topic_id: "promos" } });
    clock.advance(2 * STEP);
    expect(await message(before)).toMatchObject({ status: "FILTERED", reason: "OPT_IN_REQUIRED" });
    expect(await message(after)).toMatchObject({ status: "DELIVERED" });
  });

  it("REQUIRED topics, other users and unmapped templates are delivered as before", async () => {
    await t.courier.POST("/profiles/{user_id}", {
      params: { path: { user_id: "u2" } },
      body: { profile: { email: "u2@x.io" } },
    });
    await put("news", { status: "OPTED_OUT" });
    const required = await send({ to: { user_id }, template: "LOGIN" });
    const otherUser = await send({ to: { user_id: "u2" }, template: "NEWSLETTER" });
    const unmapped = await send({ to: { user_id }, template: "RECEIPT" });
    const byEmail = await send({ to: { email: "a@b.c" }, template: "NEWSLETTER" });
    clock.advance(2 * STEP);
    for (const id of [required, otherUser, unmapped, byEmail]) {
      expect((await message(id))?.status).toBe("DELIVERED");
    }
  });

  it("a list send filters only the members who opted out; custom routing picks the channels", async () => {
    await t.courier.POST("/profiles/{user_id}", {
      params: { path: { user_id: "u2" } },
      body: { profile: { email: "u2@x.io" } },
    });
    await t.courier.POST("/lists/{list_id}/subscriptions", {
      params: { path: { list_id: "all" } },
      body: { recipients: [{ recipientId: user_id }, { recipientId: "u2" }] },
    });
    await put("news", { status: "OPTED_OUT" });
    await t.courier.PUT("/users/{user_id}/preferences/{topic_id}", {
      params: { path: { user_id: "u2", topic_id: "news" } },
      body: { topic: { status: "OPTED_IN", has_custom_routing: true, custom_routing: ["push"] } },
    });
    const requestId = await send({
      to: { list_id: "all" },
      template: "NEWSLETTER",
      routing: { method: "all", channels: ["email"] },
    });
    clock.advance(2 * STEP);
    const mine = await message(`${requestId}-1`);
    const theirs = await message(`${requestId}-2`);
    expect(mine).toMatchObject({ recipient: user_id, status: "FILTERED", reason: "UNSUBSCRIBED" });
    expect(theirs).toMatchObject({ recipient: "u2", status: "DELIVERED" });
    const output = await t.courier.GET("/messages/{message_id}/output", {
      params: { path: { message_id: `${requestId}-2` } },
    });
    expect(output.data?.results.map((r) => r.channel)).toEqual(["push"]);
  });

  it("a delayed message is ENQUEUED until its delay ends, then FILTERED", async () => {
    await put("news", { status: "OPTED_OUT" });
    const id = await send({ to: { user_id }, template: "NEWSLETTER", delay: { duration: 60_000 } });
    clock.advance(30_000);
    expect((await message(id))?.status).toBe("ENQUEUED");
    clock.advance(30_000);
    expect(await message(id)).toMatchObject({ status: "FILTERED", reason: "UNSUBSCRIBED" });
  });
});
