/** Longest error message: messages quote ids from the request, and error results may be stored for replay. */
const MAX_MESSAGE = 500;

/** An error a handler throws to answer with a JSON error body `{ message, type }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string = typeForStatus(status),
    readonly headers: Record<string, string> = {},
  ) {
    super(message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message);
  }
}

/** Courier's error `type` for a status. */
export function typeForStatus(status: number): string {
  if (status === 401) {
    return "authentication_error";
  }
  if (status === 403) {
    return "authorization_error";
  }
  if (status === 429) {
    return "rate_limit_error";
  }
  if (status >= 500) {
    return "api_error";
  }
  return "invalid_request_error";
}

export const notFound = (what = "Not Found") => new HttpError(404, what);
export const badRequest = (message: string) => new HttpError(400, message);
export const conflict = (message: string) => new HttpError(409, message);
