import type { components } from "@courier-ts/client";

type Schemas = components["schemas"];

/** One user of a bulk job: `recipient`, `profile`, `data`, `to`, `preferences`. */
export type BulkUser = Schemas["InboundBulkMessageUser"];
/** The message every user of the job gets: `event` (required), `template`, `content`, `data`, `brand`... */
export type BulkMessage = Schemas["InboundBulkMessage"];
/** A job's status and counters, from `GET /bulk/{job_id}`. */
export type BulkJob = Schemas["BulkRetrieveJobResponseJob"];
/** A job status: `CREATED`, `PROCESSING`, then `COMPLETED` or `ERROR`. */
export type BulkJobStatus = BulkJob["status"];
/** One user of a job with its outcome, from `GET /bulk/{job_id}/users`. */
export type BulkUserResult = Schemas["BulkMessageUserResponse"];

/** Where the users come from. Nothing holds all of them: they are read as batches are sent. */
export type BulkUserSource = Iterable<BulkUser> | AsyncIterable<BulkUser> | ReadableStream<BulkUser>;

/** How far a job got: the first `usersAdded` users of the source are in job `jobId`. */
export interface BulkCheckpoint {
  jobId: string;
  /** Users of the source, from the first, that the job acknowledged. The next run starts after them. */
  usersAdded: number;
}

/** What `onProgress` receives. */
export interface BulkProgress {
  /** `adding` users, `running` the job, `waiting` for it to finish, or `done`. */
  phase: "adding" | "running" | "waiting" | "done";
  jobId: string;
  /** Users the job has acknowledged, those of a resumed run included. */
  usersAdded: number;
  /** Request bytes of the acknowledged batches of this run. */
  bytesSent: number;
  /** Batches acknowledged in this run. */
  batches: number;
  /** Since `sendBulk` was called. */
  elapsedMs: number;
  /** The job's last polled status and counters, while waiting and when done. */
  job?: BulkJob;
}

/** Options of {@link sendBulk}. */
export interface SendBulkOptions {
  /** The message definition; `event` is required by Courier. Ignored when resuming. */
  message: BulkMessage;
  /** An `Iterable`, `AsyncIterable` or web `ReadableStream` of users. */
  users: BulkUserSource;
  /** Most users per `POST /bulk/{job_id}`. Default 1000. */
  maxBatchUsers?: number;
  /**
   * Most bytes per `POST /bulk/{job_id}` body. Default 5,000,000: Courier caps a request at 6 MB, and
   * this leaves room for headers. A single user larger than this is an error (`bulk_user_too_large`).
   */
  maxBatchBytes?: number;
  /** Batches in flight at once. Default 4. */
  concurrency?: number;
  /** Attempts after the first, per request. Default 10: every batch is idempotent, so retrying is safe. */
  maxRetries?: number;
  /** Continue a job instead of creating one: skips the first `usersAdded` users of `users`. */
  resume?: BulkCheckpoint;
  /**
   * Called with the job id as soon as the job exists, then after each batch that extends the run of
   * acknowledged users from the start. Awaited, in order; persist it to resume after a crash.
   */
  checkpoint?: (checkpoint: BulkCheckpoint) => void | Promise<void>;
  /** Called after each acknowledged batch and at each phase change. */
  onProgress?: (progress: BulkProgress) => void;
  /**
   * Stops between batches: no new batch starts, batches in flight finish, and `sendBulk` rejects with a
   * `BulkSendError` (`code: "aborted"`) carrying the checkpoint. While waiting, stops the wait at once.
   */
  signal?: AbortSignal;
  /**
   * Wait for the job to reach `COMPLETED` or `ERROR` after running it, polling `GET /bulk/{job_id}`.
   * `true` uses the defaults. Default: do not wait.
   */
  wait?: boolean | BulkWaitOptions;
}

/** How {@link sendBulk} waits for a job to finish. */
export interface BulkWaitOptions {
  /** Between polls. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Gives up (`BulkSendError`, `code: "wait_timeout"`) after this long. Default 30 minutes. */
  timeoutMs?: number;
  /** Most failed users to collect from `GET /bulk/{job_id}/users` into the result. Default 100; 0 skips it. */
  maxFailures?: number;
}

/** What {@link sendBulk} resolves to. */
export interface SendBulkResult {
  jobId: string;
  /** Users in the job, those of a resumed run included. */
  usersAdded: number;
  /** Batches sent in this run. */
  batches: number;
  /** Request bytes of the batches of this run. */
  bytesSent: number;
  elapsedMs: number;
  /** The job's final status and counters, when `wait` was set. */
  job?: BulkJob;
  /** Users whose status is `ERROR` (up to `wait.maxFailures`), when `wait` was set. */
  failures: BulkUserResult[];
}
