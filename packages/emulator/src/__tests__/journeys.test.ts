import type { components } from "@courier-ts/core";
import { describe, expect, it } from "vitest";
import { manualClock, setup } from "./helpers.js";

type JourneyNode = components["schemas"]["JourneyNode"];

const clock = manualClock();
const t = setup({ now: clock.now, stepMs: 1000 });

const trigger: JourneyNode = { type: "trigger", trigger_type: "api-invoke", id: "start" };
const notification = {
  name: "Welcome",
  brand: null,
  subscription: null,
  tags: ["onboarding"],
  content: { version: "2022-01-01" as const, elements: [{ type: "text" as const, content: "Hi {{name}}" }] },
};

async function journey(nodes: JourneyNode[] = [trigger], name = "Onboarding") {
  const created = await t.courier.POST("/journeys", { body: { name, nodes } });
  expect(created.response.status).toBe(200);
  return created.data?.id ?? "";
}

async function template(templateId: string, state?: string) {
  const created = await t.courier.POST("/journeys/{templateId}/templates", {
    params: { path: { templateId } },
    body: { channel: "email", notification, ...(state ? { state } : {}) },
  });
  expect(created.response.status).toBe(200);
  return created.data?.id ?? "";
}

/** A published journey: trigger, send, wait an hour, send again. */
async function welcomeJourney() {
  const id = await journey();
  const welcome = await template(id, "PUBLISHED");
  const nodes: JourneyNode[] = [
    trigger,
    { type: "send", id: "first", message: { template: welcome } },
    { type: "delay", id: "wait", mode: "duration", duration: "1 hour" },
    { type: "send", id: "second", message: { template: welcome, data: { step: 2 } } },
  ];
  const replaced = await t.courier.PUT("/journeys/{templateId}", {
    params: { path: { templateId: id } },
    body: { name: "Onboarding", nodes, state: "PUBLISHED" },
  });
  expect(replaced.data?.state).toBe("PUBLISHED");
  return { id, welcome };
}

describe("journeys", () => {
  it("create, get (draft/published/vN), replace, list and archive agree", async () => {
    const id = await journey();
    const path = { templateId: id };
    const draft = await t.courier.GET("/journeys/{templateId}", { params: { path } });
    expect(draft.data).toMatchObject({ id, name: "Onboarding", state: "DRAFT", published: null, enabled: true });
    // The default listing shows published journeys only.
    expect((await t.courier.GET("/journeys")).data?.templates).toEqual([]);
    const drafts = await t.courier.GET("/journeys", { params: { query: { version: "draft" } } });
    expect(drafts.data?.templates?.map((j) => [j.id, j.version])).toEqual([[id, "draft"]]);

    const published = await t.courier.POST("/journeys/{templateId}/publish", { params: { path }, body: {} });
    expect(published.data).toMatchObject({ state: "PUBLISHED", name: "Onboarding" });
    expect(typeof published.data?.published).toBe("number");
    await t.courier.PUT("/journeys/{templateId}", { params: { path }, body: { name: "Renamed", nodes: [trigger] } });
    // The live version keeps its name until the draft is published.
    expect((await t.courier.GET("/journeys/{templateId}", { params: { path } })).data?.name).toBe("Onboarding");
    const draftNow = await t.courier.GET("/journeys/{templateId}", { params: { path, query: { version: "draft" } } });
    expect(draftNow.data).toMatchObject({ name: "Renamed", state: "DRAFT" });
    await t.courier.POST("/journeys/{templateId}/publish", { params: { path }, body: {} });
    const versions = await t.courier.GET("/journeys/{templateId}/versions", { params: { path } });
    expect(versions.data?.results.map((v) => [v.version, v.name])).toEqual([
      ["v2", "Renamed"],
      ["v1", "Onboarding"],
    ]);
    const v1 = await t.courier.GET("/journeys/{templateId}", { params: { path, query: { version: "v1" } } });
    expect(v1.data?.name).toBe("Onboarding");
    // Rolling back makes v1 live again.
    const rolledBack = await t.courier.POST("/journeys/{templateId}/publish", {
      params: { path },
      body: { version: "v1" },
    });
    expect(rolledBack.data?.name).toBe("Onboarding");
    expect((await t.courier.GET("/journeys")).data?.templates?.map((j) => j.name)).toEqual(["Onboarding"]);

    expect((await t.courier.DELETE("/journeys/{templateId}", { params: { path } })).response.status).toBe(204);
    expect((await t.courier.GET("/journeys/{templateId}", { params: { path } })).response.status).toBe(404);
    expect((await t.courier.GET("/journeys")).data?.templates).toEqual([]);
  });

  it("pages the journey list by cursor", async () => {
    for (let i = 0; i < 23; i++) {
      await journey([trigger], `j${i}`);
    }
    const first = await t.courier.GET("/journeys", { params: { query: { version: "draft" } } });
    expect(first.data?.templates).toHaveLength(20);
    const second = await t.courier.GET("/journeys", {
      params: { query: { version: "draft", cursor: first.data?.cursor ?? "" } },
    });
    expect(second.data?.templates?.map((j) => j.name)).toEqual(["j20", "j21", "j22"]);
    expect(second.data?.cursor).toBeUndefined();
  });

  it("templates: create, get, list, replace, content, locales, versions, publish and archive agree", async () => {
    const id = await journey();
    const notificationId = await template(id);
    const path = { templateId: id, notificationId };
    const got = await t.courier.GET("/journeys/{templateId}/templates/{notificationId}", { params: { path } });
    expect(got.data).toMatchObject({
      id: notificationId,
      name: "Welcome",
      state: "DRAFT",
      brand: null,
      tags: ["onboarding"],
    });
    const listed = await t.courier.GET("/journeys/{templateId}/templates", { params: { path: { templateId: id } } });
    expect(listed.data?.results.map((r) => r.id)).toEqual([notificationId]);

    await t.courier.PUT("/journeys/{templateId}/templates/{notificationId}", {
      params: { path },
      body: { notification: { ...notification, name: "Welcome v2", brand: { id: "brand-1" } } },
    });
    const put = await t.courier.PUT("/journeys/{templateId}/templates/{notificationId}/content", {
      params: { path },
      body: { content: { elements: [{ type: "text", content: "Hello" }] } },
    });
    // The element gets an id, which locale overrides refer to.
    const greeting = put.data?.elements[0]?.id ?? "";
    expect(greeting).toBe("text-1");
    const locale = await t.courier.PUT("/journeys/{templateId}/templates/{notificationId}/locales/{localeId}", {
      params: { path: { ...path, localeId: "fr" } },
      body: { elements: [{ id: greeting, content: "Bonjour" }] },
    });
    expect(locale.response.status).toBe(200);
    const content = await t.courier.GET("/journeys/{templateId}/templates/{notificationId}/content", {
      params: { path, query: { version: "draft" } },
    });
    expect(content.data?.elements[0]).toMatchObject({ id: greeting, type: "text", content: "Hello" });
    expect(content.data?.elements[0]?.locales?.fr?.checksum).toMatch(/^[0-9a-f]{32}$/);
    const unknownElement = await t.courier.PUT("/journeys/{templateId}/templates/{notificationId}/locales/{localeId}", {
      params: { path: { ...path, localeId: "de" } },
      body: { elements: [{ id: "nope" }] },
    });
    expect(unknownElement.response.status).toBe(400);

    const publish = await t.courier.POST("/journeys/{templateId}/templates/{notificationId}/publish", {
      params: { path },
      body: {},
    });
    expect(publish.response.status).toBe(204);
    const live = await t.courier.GET("/journeys/{templateId}/templates/{notificationId}", { params: { path } });
    expect(live.data).toMatchObject({ name: "Welcome v2", state: "PUBLISHED", brand: { id: "brand-1" } });
    const versions = await t.courier.GET("/journeys/{templateId}/templates/{notificationId}/versions", {
      params: { path },
    });
    expect(versions.data?.versions.map((v) => v.version)).toEqual(["v1"]);
    const badVersion = await t.courier.POST("/journeys/{templateId}/templates/{notificationId}/publish", {
      params: { path },
      body: { version: "v7" },
    });
    expect(badVersion.response.status).toBe(404);

    expect(
      (await t.courier.DELETE("/journeys/{templateId}/templates/{notificationId}", { params: { path } })).response
        .status,
    ).toBe(204);
    expect(
      (await t.courier.GET("/journeys/{templateId}/templates/{notificationId}", { params: { path } })).response.status,
    ).toBe(404);
    expect(
      (await t.courier.GET("/journeys/{templateId}/templates", { params: { path: { templateId: id } } })).data?.results,
    ).toEqual([]);
  });

  it("invoke runs the live version: sends now, waits, sends again; runs and steps follow the clock", async () => {
    const { id, welcome } = await welcomeJourney();
    await t.courier.POST("/profiles/{user_id}", {
      params: { path: { user_id: "u1" } },
      body: { profile: { email: "u1@example.com" } },
    });
    const invoked = await t.courier.POST("/journeys/{templateId}/invoke", {
      params: { path: { templateId: id } },
      body: { user_id: "u1", data: { name: "Ada" } },
    });
    const runId = invoked.data?.runId ?? "";
    expect(runId).not.toBe("");
    const run = await t.courier.GET("/journeys/runs/{run_id}", { params: { path: { run_id: runId } } });
    expect(run.data?.run).toMatchObject({ run_id: runId, template_id: id, status: "WAITING" });
    const steps = await t.courier.GET("/journeys/runs/{run_id}/steps", { params: { path: { run_id: runId } } });
    expect(steps.data?.steps.map((s) => [s.node_id, s.action, s.status])).toEqual([
      ["start", "trigger", "PROCESSED"],
      ["first", "send", "PROCESSED"],
      ["wait", "delay", "PENDING"],
      ["second", "send", "PENDING"],
    ]);
    const firstMessage = steps.data?.steps[1]?.message_id ?? "";
    const message = await t.courier.GET("/messages/{message_id}", { params: { path: { message_id: firstMessage } } });
    expect(message.data).toMatchObject({ recipient: "u1", notification: welcome });

    clock.advance(3_600_000 + 5000);
    const done = await t.courier.GET("/journeys/runs/{run_id}", { params: { path: { run_id: runId } } });
    expect(done.data?.run.status).toBe("PROCESSED");
    const messages = await t.courier.GET("/messages", { params: { query: { recipient: "u1" } } });
    expect(messages.data?.results.map((m) => m.status)).toEqual(["DELIVERED", "DELIVERED"]);

    // A template a send node uses cannot be archived.
    const inUse = await t.courier.DELETE("/journeys/{templateId}/templates/{notificationId}", {
      params: { path: { templateId: id, notificationId: welcome } },
    });
    expect(inUse.response.status).toBe(400);
  });

  it("cancel by run id stops a waiting run and cancels its unsent messages; by token cancels every run", async () => {
    const { id } = await welcomeJourney();
    const start = async (user: string, token?: string) =>
      (
        await t.courier.POST("/journeys/{templateId}/invoke", {
          params: { path: { templateId: id } },
          body: {
            user_id: user,
            profile: { email: `${user}@example.com` },
            ...(token ? { cancelation_token: token } : {}),
          },
        })
      ).data?.runId ?? "";
    const runId = await start("u1");
    const canceled = await t.courier.POST("/journeys/cancel", { body: { run_id: runId } });
    expect(canceled.data).toEqual({ run_id: runId, status: "CANCELED" });
    clock.advance(3_600_000 + 5000);
    const messages = await t.courier.GET("/messages", { params: { query: { recipient: "u1" } } });
    expect(messages.data?.results.map((m) => m.status).sort()).toEqual(["CANCELED", "DELIVERED"]);

    const a = await start("a", "order-1");
    const b = await start("b", "order-1");
    const byToken = await t.courier.POST("/journeys/cancel", { body: { cancelation_token: "order-1" } });
    expect(byToken.data).toEqual({ cancelation_token: "order-1" });
    const statuses = await t.courier.GET("/journeys/runs", { params: { query: { status: "CANCELED" } } });
    expect(statuses.data?.runs.map((r) => r.run_id).sort()).toEqual([runId, a, b].sort());
    const missing = await t.courier.POST("/journeys/cancel", { body: { run_id: "nope" } });
    expect(missing.response.status).toBe(404);
  });

  it("lists runs newest first, filtered and paged", async () => {
    const { id } = await welcomeJourney();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.courier.POST("/journeys/{templateId}/invoke", {
        params: { path: { templateId: id } },
        body: { user_id: `u${i}`, profile: { email: `u${i}@example.com` } },
      });
      ids.push(r.data?.runId ?? "");
      clock.advance(1000);
    }
    const first = await t.courier.GET("/journeys/runs", { params: { query: { limit: "3" } } });
    expect(first.data?.runs.map((r) => r.run_id)).toEqual([ids[3], ids[2], ids[1]]);
    const rest = await t.courier.GET("/journeys/runs", {
      params: { query: { limit: "3", cursor: first.data?.next_cursor ?? "" } },
    });
    expect(rest.data?.runs.map((r) => r.run_id)).toEqual([ids[0]]);
    expect(rest.data?.next_cursor).toBeUndefined();
    const other = await t.courier.GET("/journeys/runs", { params: { query: { template_id: "other" } } });
    expect(other.data?.runs).toEqual([]);
    const future = await t.courier.GET("/journeys/runs", { params: { query: { start_date: "2030-01-01" } } });
    expect(future.data?.runs).toEqual([]);
    const badDate = await t.courier.GET("/journeys/runs", { params: { query: { start_date: "yesterday" } } });
    expect(badDate.response.status).toBe(400);
  });

  it("404s and 400s", async () => {
    const missing = { templateId: "nope" };
    expect((await t.courier.GET("/journeys/{templateId}", { params: { path: missing } })).response.status).toBe(404);
    expect(
      (await t.courier.POST("/journeys/{templateId}/invoke", { params: { path: missing }, body: { user_id: "u" } }))
        .response.status,
    ).toBe(404);
    expect(
      (await t.courier.GET("/journeys/runs/{run_id}", { params: { path: { run_id: "nope" } } })).response.status,
    ).toBe(404);
    expect(
      (await t.courier.GET("/journeys/runs/{run_id}/steps", { params: { path: { run_id: "nope" } } })).response.status,
    ).toBe(404);

    // A send node must name one of the journey's own templates.
    const orphan = await t.courier.POST("/journeys", {
      body: { name: "x", nodes: [trigger, { type: "send", message: { template: "elsewhere" } }] },
    });
    expect(orphan.response.status).toBe(400);
    const badDelay = await t.courier.POST("/journeys", {
      body: { name: "x", nodes: [{ type: "delay", mode: "duration", duration: "a while" }] },
    });
    expect(badDelay.response.status).toBe(400);
    const noNodes = await t.courier.POST("/journeys", { body: { name: "x" } as never });
    expect(noNodes.response.status).toBe(400);

    const id = await journey();
    const unpublished = await t.courier.POST("/journeys/{templateId}/invoke", {
      params: { path: { templateId: id } },
      body: { user_id: "u1" },
    });
    expect(unpublished.response.status).toBe(400);
    await t.courier.POST("/journeys/{templateId}/publish", { params: { path: { templateId: id } }, body: {} });
    const nobody = await t.courier.POST("/journeys/{templateId}/invoke", {
      params: { path: { templateId: id } },
      body: {},
    });
    expect(nobody.response.status).toBe(400);
    const badVersion = await t.courier.GET("/journeys/{templateId}", {
      params: { path: { templateId: id }, query: { version: "latest" } },
    });
    expect(badVersion.response.status).toBe(400);
    const noSuchVersion = await t.courier.GET("/journeys/{templateId}", {
      params: { path: { templateId: id }, query: { version: "v9" } },
    });
    expect(noSuchVersion.response.status).toBe(404);
  });
});
