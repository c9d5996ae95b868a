import { statSync } from "node:fs";
import { resolve } from "node:path";
import { createCourierClient, isCourierError } from "@courier-ts/client";
import { BulkSendError, type BulkUser, type SendBulkResult, sendBulk } from "@courier-ts/client/bulk";
import { Presets, SingleBar } from "cli-progress";
import { integer, json, parse } from "../args.js";
import { EXIT, UsageError } from "../exitCodes.js";
import { bulkSendHelp } from "../help.js";
import { readResumeFile, writeResumeFile } from "../resumeFile.js";
import { onStop, progressStream } from "../thread.js";
import { formatOf, readUserFile } from "../users.js";

/** The body cap per request: Courier's is 6 MB; this leaves room for headers. */
const MAX_BATCH_BYTES = 5_000_000;
/** `{"users":[]}` around one user. */
const ENVELOPE = 12;
const MAX_REPORTED_ROWS = 100;

const options = {
  template: { type: "string" },
  event: { type: "string" },
  users: { type: "string" },
  format: { type: "string" },
  data: { type: "string" },
  resume: { type: "string" },
  "dry-run": { type: "boolean" },
  strict: { type: "boolean" },
  "no-wait": { type: "boolean" },
  "wait-timeout": { type: "string" },
  "poll-interval": { type: "string" },
  "batch-size": { type: "string" },
  concurrency: { type: "string" },
  "max-retries": { type: "string" },
  "retry-delay": { type: "string" },
  "max-failures": { type: "string" },
  "base-url": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Rows rejected so far, reported to stderr with their line numbers (the first 100). */
class Rejected {
  count = 0;
  constructor(private readonly file: string) {}
  report(line: number, error: string) {
    this.count++;
    if (this.count <= MAX_REPORTED_ROWS) {
      process.stderr.write(`${this.file}:${line}: ${error}\n`);
    } else if (this.count === MAX_REPORTED_ROWS + 1) {
      process.stderr.write(`${this.file}: more bad rows; only the first ${MAX_REPORTED_ROWS} are listed\n`);
    }
  }
}

function print(summary: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

export async function bulkSend(args: string[]): Promise<number> {
  const values = parse(args, options);
  if (values.help) {
    process.stdout.write(`${bulkSendHelp}\n`);
    return EXIT.ok;
  }
  const template = values.template;
  const usersFile = values.users;
  if (!template && !values.event) {
    throw new UsageError("--template (or --event) is required");
  }
  if (!usersFile) {
    throw new UsageError("--users FILE is required");
  }
  const format = (() => {
    try {
      return formatOf(usersFile, values.format);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  let fileBytes: number;
  try {
    fileBytes = statSync(usersFile).size;
  } catch (error) {
    throw new UsageError(`Cannot read ${usersFile}: ${(error as Error).message}`);
  }
  const data = json("data", values.data);
  let batchSize = integer("batch-size", values["batch-size"], 1000);
  const concurrency = integer("concurrency", values.concurrency, 4);
  const maxRetries = integer("max-retries", values["max-retries"], 10, 0);
  const retryDelay = integer("retry-delay", values["retry-delay"], 500, 0);
  const maxFailures = integer("max-failures", values["max-failures"], 100, 0);
  const waitTimeout = integer("wait-timeout", values["wait-timeout"], 1800);
  const pollInterval = integer("poll-interval", values["poll-interval"], 1000);
  const read = (onBytes?: (bytes: number) => void) =>
    readUserFile(usersFile, { format, maxUserBytes: MAX_BATCH_BYTES - ENVELOPE, onBytes });

  if (values["dry-run"] || values.strict) {
    const rejected = new Rejected(usersFile);
    let valid = 0;
    for await (const row of read()) {
      if (row.error === undefined) {
        valid++;
      } else {
        rejected.report(row.line, row.error);
      }
    }
    if (values["dry-run"]) {
      print({ dryRun: true, users: valid, rowsRejected: rejected.count });
      return rejected.count === 0 ? EXIT.ok : values.strict ? EXIT.usage : EXIT.partial;
    }
    if (rejected.count > 0) {
      process.stderr.write(`--strict: ${rejected.count} bad rows, nothing sent\n`);
      return EXIT.usage;
    }
  }

  let client: ReturnType<typeof createCourierClient>;
  try {
    client = createCourierClient({ baseUrl: values["base-url"], retry: { initialDelayMs: retryDelay } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const identity = { template: template ?? values.event ?? "", users: resolve(usersFile) };
  const resumeFile = values.resume;
  let resume: { jobId: string; usersAdded: number } | undefined;
  if (resumeFile) {
    let saved: ReturnType<typeof readResumeFile>;
    try {
      saved = readResumeFile(resumeFile);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (saved && (saved.template !== identity.template || saved.users !== identity.users)) {
      throw new UsageError(
        `${resumeFile} is the progress of ${saved.template} to ${saved.users}, not of ${identity.template} to ${identity.users}`,
      );
    }
    if (saved && values["batch-size"] !== undefined && saved.batchSize !== batchSize) {
      throw new UsageError(`${resumeFile} was made with --batch-size ${saved.batchSize}; resume with the same size`);
    }
    batchSize = saved?.batchSize ?? batchSize;
    resume = saved && { jobId: saved.jobId, usersAdded: saved.usersAdded };
  }

  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) {
      process.exit(EXIT.interrupted);
    }
    process.stderr.write("\nStopping after the batches in flight (again to quit now)...\n");
    controller.abort();
  };
  const unsubscribe = onStop(stop);

  const bar = new SingleBar(
    {
      stream: progressStream(),
      format: "{bar} {percentage}% | {users} users | {rate} users/s | {phase}",
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(fileBytes, 1), 0, { users: 0, rate: 0, phase: resume ? "resuming" : "adding" });
  let bytesRead = 0;
  const rejected = new Rejected(usersFile);
  async function* users(): AsyncGenerator<BulkUser> {
    for await (const row of read((bytes) => {
      bytesRead = bytes;
    })) {
      if (row.error === undefined) {
        yield row.user;
      } else {
        rejected.report(row.line, row.error);
      }
    }
  }

  let jobId = resume?.jobId;
  let usersAdded = resume?.usersAdded ?? 0;
  const usersAddedAtStart = usersAdded;
  const started = Date.now();
  const base = { resumed: resume !== undefined };
  let result: SendBulkResult;
  try {
    result = await sendBulk(client, {
      message: {
        event: values.event ?? identity.template,
        ...(template ? { template } : {}),
        ...(data ? { data } : {}),
      },
      users: users(),
      maxBatchUsers: batchSize,
      maxBatchBytes: MAX_BATCH_BYTES,
      concurrency,
      maxRetries,
      resume,
      signal: controller.signal,
      checkpoint: (checkpoint) => {
        jobId = checkpoint.jobId;
        usersAdded = checkpoint.usersAdded;
        if (resumeFile) {
          writeResumeFile(resumeFile, { ...checkpoint, ...identity, batchSize });
        }
      },
      onProgress: (p) => {
        const seconds = p.elapsedMs / 1000;
        bar.update(p.phase === "adding" ? bytesRead : fileBytes, {
          users: p.usersAdded,
          rate: seconds > 0 ? Math.round((p.usersAdded - usersAddedAtStart) / seconds) : 0,
          phase: p.job ? `${p.phase}: ${p.job.status}` : p.phase,
        });
      },
      wait: values["no-wait"] ? false : { timeoutMs: waitTimeout * 1000, pollIntervalMs: pollInterval, maxFailures },
    });
  } catch (error) {
    bar.stop();
    const checkpoint = error instanceof BulkSendError ? error.checkpoint : undefined;
    const summary = {
      ...base,
      jobId: checkpoint?.jobId ?? jobId,
      usersAdded: checkpoint?.usersAdded ?? usersAdded,
      rowsRejected: rejected.count,
      elapsedMs: Date.now() - started,
      error: isCourierError(error) ? error.toJSON() : { message: String(error) },
      ...(resumeFile ? { resumeFile } : {}),
    };
    print(summary);
    const cause = error instanceof BulkSendError ? error.cause : undefined;
    process.stderr.write(
      `${(error as Error).message}${cause instanceof Error ? `: ${cause.message}` : ""}${
        resumeFile ? `\nProgress is saved in ${resumeFile}; run the same command to continue.` : ""
      }\n`,
    );
    return error instanceof BulkSendError && error.code === "aborted" ? EXIT.interrupted : EXIT.failed;
  } finally {
    unsubscribe();
  }
  bar.stop();
  const seconds = result.elapsedMs / 1000;
  print({
    ...base,
    jobId: result.jobId,
    ...(result.job ? { status: result.job.status } : { waited: false }),
    usersAdded: result.usersAdded,
    rowsRejected: rejected.count,
    ...(result.job
      ? {
          received: result.job.received,
          enqueued: result.job.enqueued,
          failures: result.job.failures,
          failedUsers: result.failures,
        }
      : {}),
    batches: result.batches,
    bytesSent: result.bytesSent,
    elapsedMs: result.elapsedMs,
    usersPerSecond: seconds > 0 ? Math.round((result.usersAdded - usersAddedAtStart) / seconds) : 0,
  });
  if (result.job?.status === "ERROR") {
    return EXIT.failed;
  }
  return rejected.count > 0 || (result.job?.failures ?? 0) > 0 ? EXIT.partial : EXIT.ok;
}
