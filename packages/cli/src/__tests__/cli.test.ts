/** The `courier-ts` binary, spawned as users run it, against a real emulator. */
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { stripVTControlCharacters } from "node:util";
import { type Emulator, messagesOf, startEmulator } from "@courier-ts/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, CLI, getJob, jobUsers, runCli, summaryOf, tempDir, writeNdjson } from "./helpers.js";

const dir = tempDir();
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ apiKey: API_KEY });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const bulk = (...args: string[]) => ["bulk", "send", "--template", "WELCOME", "--base-url", emulator.url, ...args];

describe("help and usage", () => {
  it.each([
    [[]],
    [["--help"]],
    [["bulk", "send", "--help"]],
    [["bulk", "--help"]],
    [["send", "-h"]],
    [["emulator", "--help"]],
  ])("courier-ts %j prints usage on stdout", async (args) => {
    const run = await runCli(args);
    expect(run.stdout).toMatch(/^Usage: courier-ts/);
    expect(run.code).toBe(args.length === 0 ? 2 : 0);
  });

  it("exits 2 on an unknown command, an unknown option or a missing argument, and sends nothing", async () => {
    expect((await runCli(["deploy"])).code).toBe(2);
    const unknown = await runCli(bulk("--users", "x.ndjson", "--colour"));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--colour");
    expect((await runCli(["bulk", "send", "--users", "x.ndjson"])).stderr).toContain("--template");
    expect((await runCli(bulk("--users", join(dir, "missing.ndjson")))).code).toBe(2);
    expect((await runCli(bulk("--users", join(dir, "users.txt")))).stderr).toContain("--format");
    expect(emulator.stats().requests).toBe(0);
  });

  it("exits 2 without COURIER_API_KEY", async () => {
    const file = writeNdjson(join(dir, "nokey.ndjson"), 3);
    const run = await runCli(bulk("--users", file), {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("COURIER_API_KEY");
  });
});

describe("bulk send", () => {
  it("sends every valid row once, reports bad rows by line number, exits 3 for the rejected rows", async () => {
    const file = writeNdjson(join(dir, "mixed.ndjson"), 2_500, [
      "",
      "{not json",
      JSON.stringify({ recipient: "x", nickname: "typo" }),
      JSON.stringify({ data: { only: "data" } }),
      "[1,2]",
    ]);
    const run = await runCli(bulk("--users", file, "--batch-size", "400", "--poll-interval", "20"));
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("mixed.ndjson:2502: invalid JSON");
    expect(run.stderr).toContain('mixed.ndjson:2503: unknown field "nickname"');
    expect(run.stderr).toContain("mixed.ndjson:2504: no recipient, to, profile.email or profile.phone_number");
    expect(run.stderr).toContain("mixed.ndjson:2505: not a JSON object");
    const summary = summaryOf(run);
    expect(summary).toMatchObject({ status: "COMPLETED", usersAdded: 2_500, rowsRejected: 4, received: 2_500 });
    expect(summary.batches).toBe(7);
    const users = await jobUsers(emulator.url, summary.jobId as string);
    expect(users).toHaveLength(2_500);
    expect(new Set(users.map((u) => u.recipient)).size).toBe(2_500);
    expect(users.every((u) => u.status === "ENQUEUED")).toBe(true);
  });

  it("maps CSV columns to recipient, profile and data", async () => {
    const file = join(dir, "users.csv");
    writeFileSync(
      file,
      [
        "recipient,email,phone_number,profile.locale,data.plan,team",
        "u1,u1@example.com,,fr-FR,pro,core",
        'u2,,+15550100,,"free, trial",',
        ",,,,,",
      ].join("\r\n"),
    );
    const run = await runCli(bulk("--users", file, "--data", '{"campaign":"spring"}', "--poll-interval", "20"));
    expect(run.stderr).toContain("users.csv:4: no recipient");
    expect(run.code).toBe(3);
    const { jobId } = summaryOf(run);
    const users = await jobUsers(emulator.url, jobId as string);
    expect(users.map(({ status: _s, messageId: _m, ...u }) => u)).toEqual([
      { recipient: "u1", profile: { email: "u1@example.com", locale: "fr-FR" }, data: { plan: "pro", team: "core" } },
      { recipient: "u2", profile: { phone_number: "+15550100" }, data: { plan: "free, trial" } },
    ]);
    expect((await getJob(emulator.url, jobId as string)).definition).toEqual({
      event: "WELCOME",
      template: "WELCOME",
      data: { campaign: "spring" },
    });
  });

  it("--strict sends nothing when a row is bad; --dry-run never sends", async () => {
    const file = writeNdjson(join(dir, "strict.ndjson"), 50, ["{}"]);
    const strict = await runCli(bulk("--users", file, "--strict"));
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("strict.ndjson:51:");
    const dry = await runCli(bulk("--users", file, "--dry-run"));
    expect(dry.code).toBe(3);
    expect(summaryOf(dry)).toEqual({ dryRun: true, users: 50, rowsRejected: 1 });
    const big = writeNdjson(join(dir, "big.ndjson"), 2, [
      JSON.stringify({ recipient: "big", data: { blob: "x".repeat(5_000_000) } }),
    ]);
    const tooBig = await runCli(bulk("--users", big, "--dry-run"));
    expect(tooBig.stderr).toMatch(/big\.ndjson:3: 5000038 bytes, more than a request can carry \(4999988\)/);
    expect(summaryOf(tooBig)).toEqual({ dryRun: true, users: 2, rowsRejected: 1 });
    const clean = writeNdjson(join(dir, "clean.ndjson"), 50);
    expect((await runCli(bulk("--users", clean, "--dry-run"), {})).code).toBe(0);
    expect(emulator.stats().requests).toBe(0);
  });

  it("exits 3 and lists the users the job could not deliver to", async () => {
    // Accepted by the API, but the emulator's job has no address to build a message from (no user id,
    // no email): the user ends in ERROR when the job runs.
    const file = writeNdjson(join(dir, "failing.ndjson"), 30, [
      JSON.stringify({ profile: { phone_number: "+15550100" } }),
    ]);
    const run = await runCli(bulk("--users", file, "--poll-interval", "20"));
    expect(run.code).toBe(3);
    const summary = summaryOf(run);
    expect(summary).toMatchObject({ status: "COMPLETED", received: 31, enqueued: 30, failures: 1, rowsRejected: 0 });
    expect(summary.failedUsers).toEqual([{ profile: { phone_number: "+15550100" }, status: "ERROR" }]);
  });

  it("--no-wait runs the job and exits without waiting", async () => {
    const file = writeNdjson(join(dir, "nowait.ndjson"), 120);
    const run = await runCli(bulk("--users", file, "--no-wait", "--batch-size", "50"));
    expect(run.code).toBe(0);
    const summary = summaryOf(run);
    expect(summary).toMatchObject({ waited: false, usersAdded: 120, batches: 3 });
    expect(summary.status).toBeUndefined();
    expect((await getJob(emulator.url, summary.jobId as string)).received).toBe(120);
  });

  it("--no-wait runs the job and exits without waiting", async () => {
    const file = writeNdjson(join(dir, "nowait.ndjson"), 120);
    const run = await runCli(bulk("--users", file, "--no-wait", "--batch-size", "50"));
    expect(run.code).toBe(0);
    const summary = summaryOf(run);
    expect(summary).toMatchObject({ waited: false, usersAdded: 120, batches: 3 });
    expect(summary.status).toBeUndefined();
    expect((await getJob(emulator.url, summary.jobId as string)).received).toBe(120);
  });

  // `script` (util-linux) gives the command a terminal, as when a person runs it.
  it.runIf(existsSync("/usr/bin/script"))("draws a progress bar on stderr when it is a terminal", async () => {
    const file = writeNdjson(join(dir, "tty.ndjson"), 3_000);
    const command = [process.execPath, CLI, ...bulk("--users", file, "--batch-size", "500", "--poll-interval", "20")]
      .map((arg) => `'${arg}'`)
      .join(" ");
    // Not execFileSync: the emulator serving the command runs in this process.
    const script = spawn("/usr/bin/script", ["-qec", `${command} > /dev/null`, "/dev/null"], {
      env: { ...process.env, COURIER_API_KEY: API_KEY },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let terminal = "";
    script.stdout.on("data", (chunk) => {
      terminal += chunk;
    });
    expect(await new Promise((resolve) => script.once("close", resolve))).toBe(0);
    const text = stripVTControlCharacters(terminal);
    expect(text).toMatch(/100% \| 3000 users \| \d+ users\/s \| done: COMPLETED/);
  });

  it("refuses a resume file of another send, another batch size, or not a resume file", async () => {
    const file = writeNdjson(join(dir, "a.ndjson"), 5);
    const resume = join(dir, "other.json");
    writeFileSync(resume, JSON.stringify({ jobId: "j", usersAdded: 1, template: "OTHER", users: file, batchSize: 10 }));
    const run = await runCli(bulk("--users", file, "--resume", resume));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not of WELCOME");
    writeFileSync(
      resume,
      JSON.stringify({ jobId: "j", usersAdded: 1, template: "WELCOME", users: file, batchSize: 10 }),
    );
    const resized = await runCli(bulk("--users", file, "--resume", resume, "--batch-size", "20"));
    expect(resized.code).toBe(2);
    expect(resized.stderr).toContain("--batch-size 10");
    writeFileSync(resume, "{}");
    expect((await runCli(bulk("--users", file, "--resume", resume))).stderr).toContain("not a courier-ts resume file");
    expect(emulator.stats().requests).toBe(0);
  });
});

describe("send and emulator", () => {
  it("send prints the requestId and the emulator records the message", async () => {
    const run = await runCli([
      "send",
      "--template",
      "T",
      "--user",
      "u1",
      "--data",
      '{"a":1}',
      "--base-url",
      emulator.url,
    ]);
    expect(run.code).toBe(0);
    const { requestId } = JSON.parse(run.stdout) as { requestId: string };
    expect(messagesOf(emulator.state).get(requestId)).toMatchObject({ recipient: "u1", template: "T", data: { a: 1 } });
    const refused = await runCli(["send", "--message", '{"to":{"user_id":"u"}}', "--base-url", emulator.url]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { status: 400 } });
  });

  it("emulator starts a server, prints its URL and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [CLI, "emulator", "--port", "0", "--api-key", "k2"], { stdio: "pipe" });
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    const [line] = await createInterface({ input: child.stdout })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value]);
    const { url } = JSON.parse(line as string) as { url: string };
    const response = await fetch(`${url}/profiles/nobody`, { headers: { authorization: "Bearer k2" } });
    expect(response.status).toBe(404);
    expect((await fetch(`${url}/profiles/nobody`, { headers: { authorization: "Bearer no" } })).status).toBe(401);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
