import { ConflictError, type CourierClient, paginate, unwrap } from "@courier-ts/client";
import { BulkSendError } from "./errors.js";
import type { BulkJob, BulkUserResult, BulkWaitOptions } from "./types.js";

const TERMINAL = new Set<BulkJob["status"]>(["COMPLETED", "ERROR"]);

/**
 * Runs `call` with a signal of its own that follows the caller's, and takes its listener off the caller's
 * signal when the call ends. A fetch `Request` made with a long-lived signal keeps its listener on it
 * until garbage collection, so polling with the caller's signal itself would pile listeners on it (and
 * trip Node's MaxListenersExceededWarning after ten polls).
 */
export async function withSignal<T>(
  signal: AbortSignal | undefined,
  call: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (!signal) {
    return call(undefined);
  }
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  if (signal.aborted) {
    forward();
  } else {
    signal.addEventListener("abort", forward, { once: true });
  }
  try {
    return await call(controller.signal);
  } finally {
    signal.removeEventListener("abort", forward);
  }
}

export function getJob(client: CourierClient, jobId: string, maxRetries: number, signal?: AbortSignal) {
  return withSignal(signal, (own) =>
    unwrap(client.GET("/bulk/{job_id}", { params: { path: { job_id: jobId } }, maxRetries, signal: own })),
  ).then((body) => body.job);
}

/**
 * Runs the job once. The key makes a retried run (its answer lost) a replay. A 409 means it already
 * ran, e.g. in the run that crashed; the job's status tells.
 */
export async function runJob(client: CourierClient, jobId: string, maxRetries: number): Promise<void> {
  try {
    await unwrap(
      client.POST("/bulk/{job_id}/run", {
        params: { path: { job_id: jobId } },
        idempotencyKey: `${jobId}:run`,
        maxRetries,
      }),
    );
  } catch (error) {
    if (!(error instanceof ConflictError) || (await getJob(client, jobId, maxRetries)).status === "CREATED") {
      throw error;
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Polls `GET /bulk/{job_id}` until `COMPLETED` or `ERROR`, at most `timeoutMs`. */
export async function waitForJob(
  client: CourierClient,
  jobId: string,
  options: BulkWaitOptions,
  maxRetries: number,
  signal: AbortSignal | undefined,
  onPoll: (job: BulkJob) => void,
): Promise<BulkJob> {
  const interval = options.pollIntervalMs ?? 1000;
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  for (;;) {
    const job = await getJob(client, jobId, maxRetries, signal);
    onPoll(job);
    if (TERMINAL.has(job.status)) {
      return job;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new BulkSendError(
        `Bulk job ${jobId} is still ${job.status} after ${options.timeoutMs ?? 1_800_000} ms`,
        "wait_timeout",
        { jobId, usersAdded: job.received },
      );
    }
    await sleep(Math.min(interval, left), signal);
  }
}

/** The first `max` users whose status is `ERROR`, paging `GET /bulk/{job_id}/users`; stops once `expected` are found. */
export async function failedUsers(
  client: CourierClient,
  jobId: string,
  expected: number,
  max: number,
  signal: AbortSignal | undefined,
): Promise<BulkUserResult[]> {
  const failures: BulkUserResult[] = [];
  const limit = Math.min(expected, max);
  if (limit <= 0) {
    return failures;
  }
  await withSignal(signal, async (own) => {
    const users = paginate(client, "/bulk/{job_id}/users", { params: { path: { job_id: jobId } }, signal: own });
    for await (const user of users) {
      if (user.status === "ERROR") {
        failures.push(user);
        if (failures.length >= limit) {
          break;
        }
      }
    }
  });
  return failures;
}
