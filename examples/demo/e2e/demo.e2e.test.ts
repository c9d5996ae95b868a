/**
 * The demo in a real browser: Debian's chromium driven by playwright-core through the whole flow,
 * asserting what the page shows and what the emulator recorded. One screenshot per step goes to
 * test-output/e2e/ (gitignored).
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bulkOf, listsOf, messagesOf, profilesOf } from "@courier-ts/emulator";
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

async function shot(name: string) {
  step++;
  await page.screenshot({ path: `${SHOTS}${String(step).padStart(2, "0")}-${name}.png`, fullPage: true });
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
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

it("walks the whole flow: user, profile, lists, send, messages with history, bulk, automation, webhook", async () => {
  const emulator = demo.emulator;
  if (!emulator) {
    throw new Error("the e2e test runs against the emulator");
  }
  await page.goto(demo.url);
  await page.getByText("Pick a demo user").waitFor();
  expect(await page.getByTestId("courier-mode").textContent()).toContain("emulator");
  await shot("start");

  // Pick a user: the profile is synced at sign-in and shown.
  await page.getByTestId("pick-alice").click();
  await expect.poll(() => page.getByTestId("profile-name").inputValue()).toBe("Alice Example");
  expect(profilesOf(emulator.state).get("alice")?.profile).toMatchObject({ email: "alice@example.com" });
  await shot("signed-in");

  // Edit name, email and phone; saved to Courier.
  await page.getByTestId("profile-name").fill("Alice Edited");
  await page.getByTestId("profile-email").fill("alice.edited@example.com");
  await page.getByTestId("profile-phone_number").fill("+15559999999");
  await page.getByTestId("profile-save").click();
  await page.getByTestId("profile-saved").waitFor();
  expect(profilesOf(emulator.state).get("alice")?.profile).toMatchObject({
    name: "Alice Edited",
    email: "alice.edited@example.com",
    phone_number: "+15559999999",
  });
  await page.reload();
  await expect.poll(() => page.getByTestId("profile-name").inputValue()).toBe("Alice Edited");
  await shot("profile-saved");

  // Subscribe to two lists, unsubscribe from one.
  await page.getByTestId("list-product-updates").click();
  await expect.poll(() => page.getByTestId("list-product-updates").isChecked()).toBe(true);
  await page.getByTestId("list-weekly-digest").click();
  await expect.poll(() => page.getByTestId("list-weekly-digest").isChecked()).toBe(true);
  await page.getByTestId("list-weekly-digest").click();
  await expect.poll(() => page.getByTestId("list-weekly-digest").isChecked()).toBe(false);
  expect(
    listsOf(emulator.state)
      .subscriptionsOf("alice")
      .map((s) => s.listId),
  ).toEqual(["product-updates"]);
  await shot("lists");

  // Send yourself a template message and an inline one.
  await page.getByTestId("send-submit").click();
  await page.getByTestId("send-result").waitFor();
  await page.getByTestId("mode-content").check();
  await page.getByTestId("send-title").fill("E2E hello");
  await page.getByTestId("send-submit").click();
  await expect
    .poll(() => [...messagesOf(emulator.state).values()].filter((m) => m.recipient === "alice").length)
    .toBe(2);
  await shot("sent");

  // The messages appear with their status, and a message's history follows it to DELIVERED.
  await expect.poll(() => page.getByTestId("message").count()).toBe(2);
  await page.getByTestId("message").first().getByRole("button").click();
  await expect.poll(() => page.getByTestId("detail-status").textContent(), { timeout: 15_000 }).toBe("DELIVERED");
  const history = await page.getByTestId("history").textContent();
  for (const event of ["ENQUEUED", "SENT", "DELIVERED"]) {
    expect(history).toContain(event);
  }
  await shot("message-history");

  // Admin: a bulk send to the list alice joined; job status shown.
  await page.getByTestId("bulk-run").click();
  await expect.poll(() => page.getByTestId("bulk-status").textContent()).toContain("COMPLETED");
  expect(await page.getByTestId("bulk-status").textContent()).toContain("1 received, 1 enqueued");
  expect([...bulkOf(emulator.state).jobs.values()].map((j) => j.status)).toEqual(["COMPLETED"]);
  await shot("bulk");

  // Admin: an ad-hoc automation (send, delay 5 s, send), with its steps' status.
  await page.getByTestId("automation-run").click();
  await expect.poll(() => page.getByTestId("automation-steps").textContent()).toContain("delay: WAITING");
  await shot("automation-waiting");
  await expect
    .poll(() => page.getByTestId("automation-steps").textContent(), { timeout: 20_000 })
    .toBe("send: PROCESSEDdelay: PROCESSEDsend: PROCESSED");
  const templates = [...messagesOf(emulator.state).values()]
    .filter((m) => m.source === "automation")
    .map((m) => m.template);
  expect(templates).toEqual(["WELCOME", "ORDER_SHIPPED"]);
  await shot("automation-done");

  // A signed webhook delivery is verified by courierWebhook.
  await page.getByTestId("webhook-test").click();
  await page.getByTestId("webhook-result").waitFor();
  expect(demo.webhookEvents[0]?.type).toBe("message:updated");
  await shot("webhook");

  // Switching users shows only the new user's data.
  await page.getByTestId("pick-bob").click();
  await expect.poll(() => page.getByTestId("profile-name").inputValue()).toBe("Bob Example");
  await expect.poll(() => page.getByText("No messages yet.").count()).toBe(1);
  await shot("bob");
});
