/**
 * Exit codes a script can rely on.
 *
 * @example
 * ```ts
 * if ((await run(argv)) === EXIT.partial) console.error("some rows or users failed");
 * ```
 */
export const EXIT = {
  /** Everything was sent (and, when waited for, every user was enqueued). */
  ok: 0,
  /** A request failed after its retries, or the job ended in ERROR. */
  failed: 1,
  /** Bad arguments, missing API key, unreadable input, or (with `--strict`) a bad row. Nothing was sent. */
  usage: 2,
  /** The job completed, but some rows were rejected or some users failed. */
  partial: 3,
  /** Interrupted (SIGINT/SIGTERM); the resume file holds the progress. */
  interrupted: 130,
} as const;

/** A problem with what the user asked for: printed without a stack, exit code 2. */
export class UsageError extends Error {}
