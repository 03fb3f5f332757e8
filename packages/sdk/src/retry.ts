import { HeraldConnectionError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 2). 0 turns retrying off. */
  maxRetries: number;
  /** First backoff cap; doubled on each retry (default 500 ms). */
  baseDelayMs: number;
  /** Largest backoff, and the longest Retry-After the SDK waits for: a longer one is returned as the error (default 30 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 30_000 };

type Fetch = (request: Request) => Promise<Response>;

/**
 * Exponential backoff with full jitter: a uniform wait between 0 and min(maxDelay, base * 2^retry).
 * `retry` counts from 0 for the first retry.
 */
export function backoffDelay(retry: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date starts with the day's name (RFC 9110 §5.6.7); Date.parse alone would take "-1" for a year.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Only a request that can be sent twice without doing twice is retried: GET, PUT and DELETE, and a POST that
 * carries an Idempotency-Key (Herald answers the repeat with what the first created).
 */
export function isRetryable(request: Request): boolean {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE') return true;
  return method === 'POST' && request.headers.has('Idempotency-Key');
}

const retryableStatus = (status: number) => status === 429 || (status >= 500 && status !== 501);

/** Wraps a fetch with the SDK's retries: 429 (after its Retry-After), 5xx and no answer. */
export function fetchWithRetries(fetch: Fetch, options: RetryOptions): Fetch {
  return async (request) => {
    const retryable = isRetryable(request) && options.maxRetries > 0;
    for (let retry = 0; ; retry++) {
      const last = !retryable || retry >= options.maxRetries;
      let response: Response;
      try {
        // Each attempt sends a copy: the same body and the same Idempotency-Key.
        response = await fetch(last ? request : request.clone());
      } catch (err) {
        if (request.signal.aborted) throw err;
        if (last) throw new HeraldConnectionError(err);
        await sleep(backoffDelay(retry, options));
        continue;
      }
      if (last || !retryableStatus(response.status)) return response;
      const told = response.status === 429 || response.status === 503 ? retryAfterMs(response.headers.get('Retry-After')) : undefined;
      if (told !== undefined && told > options.maxDelayMs) return response;
      await response.body?.cancel();
      await sleep(told ?? backoffDelay(retry, options));
    }
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
