/**
 * The demo in a real browser: Debian's chromium driven by playwright-core through the notification
 * center, asserting what the page shows and what the emulator recorded. A screenshot of each page goes
 * to test-output/e2e/ (gitignored; CI keeps it as an artifact).
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { unwrap } from "@courier-ts/client";
import { signCourierPayload } from "@courier-ts/express";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningDemo, startDemo } from "../server/app.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = fileURLToPath(new URL("../../../test-output/e2e/", import.meta.url));
const DIST = fileURLToPath(new URL("../dist", import.meta.url));

let demo: RunningDemo;
let browser: Browser;
let page: Page;
let step = 0;
const pageErrors: string[] = [];

async function shot(name: string) {
  step++;
  await page.screenshot({ path: `${SHOTS}${String(step).padStart(2, "0")}-${name}.png`, fullPage: true });
}

async function go(label: string) {
  await page.getByRole("link", { name: label, exact: true }).click();
  await page.getByRole("heading", { level: 1 }).first().waitFor();
}

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM} (.ci/run installs Debian's chromium)`).toBe(true);
  expect(existsSync(`${DIST}/index.html`), "the demo is not built: run `pnpm build` first").toBe(true);
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo({ port: 0, stepMs: 300 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

// What Courier recorded is read through its API (the demo's own client), as an app would.
const profileOf = async (user: string) =>
  (await unwrap(demo.client.GET("/profiles/{user_id}", { params: { path: { user_id: user } } }))).profile;
const listsOf = async (user: string) =>
  (await unwrap(demo.client.GET("/profiles/{user_id}/lists", { params: { path: { user_id: user } } }))).results.map(
    (l) => l.id,
  );

const topicStatus = async (user: string, topic: string) =>
  (
    await unwrap(
      demo.client.GET("/users/{user_id}/preferences/{topic_id}", {
        params: { path: { user_id: user, topic_id: topic } },
      }),
    )
  ).topic.status;

it("signs in and shows the profile with email and phone read-only", async () => {
  expect(demo.emulator, "the e2e test runs against the emulator").toBeDefined();
  await page.goto(demo.url);
  await page.getByRole("heading", { name: "Sign in to Acme" }).waitFor();
  expect(await page.getByTestId("courier-mode").textContent()).toBe("Local Courier emulator");
  await shot("sign-in");

  await page.getByTestId("pick-alice").click();
  await page.getByRole("heading", { name: "Inbox" }).waitFor();
  await page.getByTestId("inbox-empty").waitFor();
  expect(await profileOf("alice")).toMatchObject({ email: "alice@example.com" });
  await shot("inbox-empty");

  await go("Profile");
  await expect.poll(() => page.getByLabel("Display name").inputValue()).toBe("Alice Martin");
  expect(await page.getByLabel("Email").inputValue()).toBe("alice@example.com");
  expect(await page.getByLabel("Email").getAttribute("readonly")).not.toBeNull();
  await page.getByLabel("Display name").fill("Alice M.");
  await page.getByTestId("profile-save").click();
  await page.getByTestId("profile-saved").waitFor();
  expect(await profileOf("alice")).toMatchObject({
    name: "Alice M.",
    email: "alice@example.com",
  });
  await shot("profile");
});

it("shows preferences by section; a switch flips at once, is saved, and sends honour it", async () => {
  await go("Preferences");
  await page.getByRole("heading", { name: "Notification preferences" }).waitFor();
  const sections = await page.locator("section.section h2").allTextContents();
  expect(sections).toEqual(["Account and security", "Orders", "News and tips"]);
  const security = page.getByRole("checkbox", { name: "Security alerts" });
  expect(await security.isDisabled()).toBe(true);
  expect(await security.isChecked()).toBe(true);

  const shipping = page.getByRole("checkbox", { name: "Shipping updates" });
  expect(await shipping.isChecked()).toBe(true);
  await shipping.click();
  await expect.poll(() => shipping.isChecked()).toBe(false);
  await expect.poll(() => topicStatus("alice", "shipping-updates")).toBe("OPTED_OUT");
  expect(await topicStatus("bob", "shipping-updates")).toBe("OPTED_IN");

  // Channels: the weekly digest, opted in, by email only.
  await page.getByRole("checkbox", { name: "Weekly digest" }).click();
  await page.getByTestId("topic-weekly-digest-inbox").click();
  await expect.poll(() => page.getByTestId("topic-weekly-digest-inbox").isChecked()).toBe(false);
  await expect
    .poll(
      async () =>
        (
          await unwrap(
            demo.client.GET("/users/{user_id}/preferences/{topic_id}", {
              params: { path: { user_id: "alice", topic_id: "weekly-digest" } },
            }),
          )
        ).topic,
    )
    .toMatchObject({ status: "OPTED_IN", custom_routing: ["email"] });
  await page.getByText("All changes saved").waitFor();
  await page.reload();
  await expect.poll(() => page.getByRole("checkbox", { name: "Shipping updates" }).isChecked()).toBe(false);
  await shot("preferences");

  // A shipping notification is now filtered: the inbox says it was not sent.
  await go("Developer tools");
  await page.getByTestId("send-template").selectOption("ORDER_SHIPPED");
  await page.getByTestId("send-submit").click();
  await page.getByTestId("send-result").waitFor();
  await go("Inbox");
  await expect.poll(() => page.getByTestId("message-status").first().textContent()).toBe("Not sent: turned off");
});

it("pages the inbox with Load more, filters it, and shows a message's history", async () => {
  // 24 more notifications, sent by the app's server while the page is open: they show up without a reload.
  const templates = ["WELCOME", "PASSWORD_CHANGED", "WEEKLY_DIGEST"];
  for (let i = 0; i < 24; i++) {
    const template = templates[i % templates.length] as string;
    await unwrap(demo.client.POST("/send", { body: { message: { to: { user_id: "alice" }, template, data: { i } } } }));
  }
  await expect.poll(() => page.getByTestId("message").count()).toBe(20);
  expect(await page.getByTestId("inbox-count").textContent()).toBe("Showing 20 notifications");
  await page.getByTestId("inbox-load-more").click();
  await expect.poll(() => page.getByTestId("message").count()).toBe(25);
  expect(await page.getByTestId("inbox-load-more").count()).toBe(0);
  await expect
    .poll(() => page.getByTestId("message-status").allTextContents(), { timeout: 15_000 })
    .toEqual([...Array(24).fill("Delivered"), "Not sent: turned off"]);
  await page.getByTestId("message").first().getByRole("button", { name: "Details" }).click();
  await expect.poll(() => page.getByTestId("history").textContent()).toContain("Delivered");
  await shot("inbox");

  await page.getByText("Not sent", { exact: true }).click();
  await expect.poll(() => page.getByTestId("message").count()).toBe(1);
  await page.getByText("All", { exact: true }).click();
  // Back to the cached view, with both of its pages.
  await expect.poll(() => page.getByTestId("message").count()).toBe(25);
});

it("joins and leaves lists", async () => {
  await go("Lists");
  const updates = page.getByRole("checkbox", { name: "Product updates" });
  await updates.click();
  await expect.poll(() => updates.isChecked()).toBe(true);
  await page.getByRole("checkbox", { name: "Weekly digest" }).click();
  await expect.poll(() => page.getByRole("checkbox", { name: "Weekly digest" }).isChecked()).toBe(true);
  await page.getByRole("checkbox", { name: "Weekly digest" }).click();
  await expect.poll(() => page.getByRole("checkbox", { name: "Weekly digest" }).isChecked()).toBe(false);
  expect(await listsOf("alice")).toEqual(["product-updates"]);
  await shot("lists");
});

it("gets a Courier token for the user from the token route, and runs the admin flows", async () => {
  await go("Developer tools");
  const tokenResponse = page.waitForResponse((r) => r.url().endsWith("/api/courier/token"));
  await page.getByTestId("token-get").click();
  const response = await tokenResponse;
  expect(response.status()).toBe(200);
  expect(response.request().method()).toBe("POST");
  await expect
    .poll(() => page.getByTestId("token-scope").textContent())
    .toBe("user_id:alice read:preferences write:preferences inbox:read:messages");

  // A bulk send to the list alice joined.
  await page.getByTestId("bulk-list").selectOption("product-updates");
  await page.getByTestId("bulk-run").click();
  await expect.poll(() => page.getByTestId("bulk-status").textContent()).toContain("Completed");
  expect(await page.getByTestId("bulk-status").textContent()).toContain("1 received, 1 enqueued");

  // A signed webhook delivery is verified by courierWebhook.
  await page.getByTestId("webhook-test").click();
  await page.getByTestId("webhook-result").waitFor();
  expect(demo.webhookEvents[0]?.type).toBe("message:updated");
  await shot("developer");

  // The automation: send, wait 5 s, send.
  await page.getByTestId("automation-run").click();
  await expect
    .poll(() => page.getByTestId("automation-steps").textContent(), { timeout: 20_000 })
    .toBe("Send: DoneWait: DoneSend: Done");
  // Its two sends, newest first (the shipping one is filtered: alice turned shipping updates off).
  const latest = await unwrap(demo.client.GET("/messages", { params: { query: { recipient: "alice" } } }));
  expect(latest.results.slice(0, 2).map((m) => m.notification)).toEqual(["ORDER_SHIPPED", "WELCOME"]);
});

it("switching users shows only the new user's data, and the page logged no errors", async () => {
  await page.getByTestId("user-select").selectOption("bob");
  await go("Inbox");
  await page.getByTestId("inbox-empty").waitFor();
  await go("Profile");
  await expect.poll(() => page.getByLabel("Display name").inputValue()).toBe("Bob Nguyen");
  expect(await page.getByLabel("Mobile number").inputValue()).toBe("Not set");
  expect(pageErrors).toEqual([]);
});

it("pushes a verified webhook delivery to the recipient's open pages as a server-sent event", async () => {
  const signIn = await fetch(`${demo.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId: "carol" }),
  });
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const controller = new AbortController();
  const stream = await fetch(`${demo.url}/api/events`, { headers: { cookie }, signal: controller.signal });
  expect(stream.headers.get("content-type")).toBe("text/event-stream");
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  const deliver = async (recipient: string, id: string) => {
    const body = JSON.stringify({ type: "message:updated", data: { id, status: "DELIVERED", recipient } });
    const response = await fetch(`${demo.url}/webhooks/courier`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "courier-signature": signCourierPayload(body, "demo-webhook-secret"),
      },
      body,
    });
    expect(response.status).toBe(200);
  };
  // Another user's delivery is not sent to carol; hers is.
  await deliver("bob", "for-bob");
  await deliver("carol", "for-carol");
  let received = "";
  while (!received.includes("for-carol")) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    received += new TextDecoder().decode(value);
  }
  controller.abort();
  expect(received).toContain('event: message\ndata: {"id":"for-carol","status":"DELIVERED"}');
  expect(received).not.toContain("for-bob");
  expect((await fetch(`${demo.url}/api/events`)).status).toBe(401);
});
