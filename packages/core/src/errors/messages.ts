/** Every message string the SDK itself writes, in one place. */
export const messages = {
  missingApiKey:
    "Courier API key is missing. Pass `apiKey` to createCourierClient() or set the COURIER_API_KEY environment variable.",
  connection: (method: string, path: string) => `Could not reach Courier for ${method} ${path}`,
  timeout: (method: string, path: string, ms: number) => `${method} ${path} timed out after ${ms} ms`,
  aborted: (method: string, path: string) => `${method} ${path} was aborted`,
  invalidPathParam: (name: string, reason: string) => `Path parameter "${name}" ${reason}`,
  invalidJson: (status: number) => `Courier answered ${status} with a body that is not valid JSON`,
  apiError: (status: number, message: string | undefined) =>
    message ? `${status} ${message}` : `${status} status code (no body)`,
} as const;
