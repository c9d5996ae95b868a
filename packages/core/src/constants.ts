/** Courier's production REST endpoint. */
export const DEFAULT_BASE_URL = "https://api.courier.com";
/** Courier's EU REST endpoint. */
export const EU_BASE_URL = "https://api.eu.courier.com";
/** Attempts after the first, for retryable failures. */
export const DEFAULT_MAX_RETRIES = 2;
/** Per-attempt timeout in ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** The header Courier reads for idempotent POSTs. */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
