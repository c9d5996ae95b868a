/** The message strings core's errors write. */
export const messages = {
  apiError: (status: number, message: string | undefined) =>
    message ? `${status} ${message}` : `${status} status code (no body)`,
} as const;
