/** Parses `Retry-After` (seconds or an HTTP date) / `retry-after-ms` into milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(headers: Pick<Headers, "get"> | undefined, now = Date.now()): number | undefined {
  const get = (name: string) => headers?.get(name)?.trim();
  const ms = get("retry-after-ms");
  if (ms && Number.isFinite(+ms)) {
    return Math.max(0, +ms);
  }
  const value = get("retry-after");
  const wait = !value ? Number.NaN : /^\d+(\.\d+)?$/.test(value) ? +value * 1000 : Date.parse(value) - now;
  return Number.isNaN(wait) ? undefined : Math.max(0, wait);
}
