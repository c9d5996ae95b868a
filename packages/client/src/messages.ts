/**
 * Every message string the client itself writes, in one place (one export each, so that a bundle
 * carries only the strings it uses). None of them ever holds the API key.
 */
export const MISSING_API_KEY = "No Courier API key: pass apiKey or set COURIER_API_KEY";
export const INVALID_API_KEY = "apiKey has a control or non-ASCII character";
export const INVALID_BASE_URL = "baseUrl must be an absolute http(s) URL";
export const invalidPath = (path: string) => `Missing, empty, . or .. path parameter in ${path}`;
/** The end of a failed call's message, after its method and path. */
export const CONNECTION = "could not connect";
export const CONNECTION_LOST = "lost its connection";
export const ABORTED = "was aborted";
export const timedOut = (ms: number) => `timed out after ${ms} ms`;
export const redirected = (status: number, location: string) =>
  `was redirected (${status} to ${location}), not followed`;
export const tooLarge = (limit: number) => `got over maxResponseBytes (${limit})`;
