/**
 * The retry policy for nCore calls, in one place: which answers may be retried, how long to wait, and how
 * `Retry-After` is read. Only calls marked retry-safe (reads, PUTs, keyed creates) are ever repeated.
 */

/** Upstream statuses whose retry is safe for an idempotent request. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Connection-level failures: refused, reset or closed before an answer. Whether the request reached nCore is
 * unknown, which is why only retry-safe calls are repeated after one.
 */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Whether `error` is a connection-level failure (see CONNECTION_CODES). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code !== undefined && CONNECTION_CODES.has(code);
}

/** First retry waits about this long; each further one doubles it. */
const BASE_DELAY_MS = 100;
/** No single wait is longer than this, whatever nCore asks for. */
const MAX_DELAY_MS = 10_000;

/**
 * How long to wait before retry number `attempt` (0 for the first retry): exponential with jitter, so that
 * many gateways retrying at once do not synchronise, and never shorter than nCore's `Retry-After`. When
 * nCore asks for a longer wait than the gateway will make, the answer is Infinity: do not retry at all.
 */
export function backoffMs(attempt: number, retryAfterSeconds?: number, random: () => number = Math.random): number {
  const exponential = BASE_DELAY_MS * 2 ** attempt;
  const jittered = Math.min(MAX_DELAY_MS, exponential / 2 + random() * (exponential / 2));
  const floor = retryAfterSeconds === undefined ? 0 : retryAfterSeconds * 1000;
  return floor > MAX_DELAY_MS ? Infinity : Math.max(jittered, floor);
}

/** The three forms of HTTP date (RFC 9110), recognised by their weekday and month names. */
const HTTP_DATE = /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? .*(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/;

/** `Retry-After` in seconds, from either of its forms (delta-seconds or an HTTP date); undefined if absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  // An HTTP date names its day and month (`Fri, 27 Nov 2026 10:00:05 GMT`); anything else, such as `1.5` or
  // `-3`, which Date.parse would read as some date long past, is unreadable.
  if (!HTTP_DATE.test(raw)) return undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!signal) return void setTimeout(resolve, ms);
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
