/** Attempts after the first, for retryable failures. */
export const DEFAULT_MAX_RETRIES = 2;
/** Per-attempt timeout in ms, covering the response body too. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * The largest response body read, in bytes: 8 MiB. Courier caps a request at 6 MB and its responses are
 * far smaller; the cap stops a broken or hostile server from filling the process's memory.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** The header Courier reads for idempotent POSTs. */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
