/** Every message string the client itself writes, in one place. None of them ever holds the API key. */
export const messages = {
  missingApiKey:
    "Courier API key is missing. Pass `apiKey` to createCourierClient() or set the COURIER_API_KEY environment variable.",
  invalidApiKey:
    "Courier API key has a character that cannot be sent in an HTTP header (a control character such as a newline, or a non-ASCII character). Check how the key was read or pasted.",
  invalidBaseUrl: (reason: string) =>
    `baseUrl must be an absolute http(s) URL such as https://api.courier.com (${reason}); a relative one only works in a browser`,
  connection: (method: string, path: string) => `Could not reach Courier for ${method} ${path}`,
  connectionLost: (method: string, path: string) => `The connection closed while reading the response to ${method} ${path}`,
  timeout: (method: string, path: string, ms: number) => `${method} ${path} timed out after ${ms} ms`,
  aborted: (method: string, path: string) => `${method} ${path} was aborted`,
  redirect: (method: string, path: string, status: number, location: string) =>
    `${method} ${path} was answered with a redirect (${status}${location ? ` to ${location}` : ""}); the client does not follow redirects, so check baseUrl`,
  tooLarge: (method: string, path: string, limit: number) =>
    `The response to ${method} ${path} is larger than maxResponseBytes (${limit} bytes)`,
  invalidPathParam: (name: string, reason: string) => `Path parameter "${name}" ${reason}`,
  invalidJson: "Courier answered with a 2xx body that is not valid JSON",
} as const;
