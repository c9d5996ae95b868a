/** Courier's production REST endpoint. */
export const DEFAULT_BASE_URL = "https://api.courier.com";
/** Courier's EU REST endpoint. */
export const EU_BASE_URL = "https://api.eu.courier.com";
