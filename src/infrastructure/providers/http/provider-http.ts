import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import type { SendResult } from '../../../domain/notification/send-result';
import { checkDestinationUrl, DESTINATION_REFUSED, guardedConnector, type OutboundPolicy } from './outbound-guard';

/** The headers of a provider's answer; names are case-insensitive. */
export interface AnswerHeaders {
  get(name: string): string | null;
}

export interface HttpAnswer {
  status: number;
  headers: AnswerHeaders;
  text: string;
}

/** A provider request: always sent once, never retried or redirected by the HTTP client. */
export interface ProviderRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** What went wrong when no HTTP answer came back. */
export type HttpFailure = Extract<SendResult, { outcome: 'transient' | 'unknown' }>;

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMED_OUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Set on an error that ended a connection before it was ready (TCP connect, TLS handshake): no request byte left on it. */
const CONNECT_FAILED = Symbol('provider connection not established');

/**
 * undici's own connector, with its failures marked. undici hands a connector's error to every request waiting for
 * that connection as it is, with the same codes (ECONNRESET, EPROTO, ERR_SSL_*) that a connection lost in the middle
 * of a request has; only the mark tells a handshake that failed (a safe retry) from an answer that was lost.
 */
const connectMarkingFailures = (connect: buildConnector.connector): buildConnector.connector => (options, callback) =>
  connect(options, (...args) => {
    if (args[0]) (args[0] as Error & { [CONNECT_FAILED]?: true })[CONNECT_FAILED] = true;
    callback(...args);
  });

/**
 * Keep-alive connections shared by every provider adapter of the process. undici's `request` costs a fraction of
 * the global `fetch` per call (no web streams, no AbortSignal per request), which matters at thousands of sends a
 * second. It does not retry a POST on another connection, and does not follow redirects. At most 128 connections per
 * provider origin; requests beyond that wait for a free one.
 */
const providers = new Agent({ connections: 128, keepAliveTimeout: 30_000, connect: connectMarkingFailures(buildConnector({ timeout: 10_000 })) });

/**
 * One provider HTTP call with a time limit on the answer's headers and on each pause in its body. A failure to
 * connect (refused, DNS, TLS handshake, connect timeout) means nothing was sent (transient); a timeout or a dropped
 * connection after connecting means the provider may have accepted it (unknown, never resent blindly).
 */
export async function callProvider(provider: string, url: string, init: ProviderRequest, timeoutMs: number): Promise<HttpAnswer | HttpFailure> {
  return send(provider, url, init, timeoutMs, providers, null) as Promise<HttpAnswer | HttpFailure>;
}

/** A send refused before anything left Herald: the destination is not one Herald may reach. */
export type DestinationRefused = Extract<SendResult, { outcome: 'permanent' }>;

/** How much of a destination's answer is read, to classify it; the rest is dropped and nothing is kept. */
const DESTINATION_ANSWER_BYTES = 1024;

/** One pool per policy: the address check lives in the pool's connector, so every connection it opens is checked. */
const destinationPools = new WeakMap<OutboundPolicy, Agent>();

function destinationPool(policy: OutboundPolicy): Agent {
  let pool = destinationPools.get(policy);
  if (!pool) {
    pool = new Agent({ connections: 128, keepAliveTimeout: 30_000, connect: connectMarkingFailures(guardedConnector(policy, { timeout: 10_000 })) });
    destinationPools.set(policy, pool);
  }
  return pool;
}

/**
 * A call to a URL that a customer gave (chat destination, web push endpoint, status webhook). The URL is checked
 * first (scheme, literal address), then every address a connection goes to is checked as it connects, so DNS
 * rebinding gains nothing. Never redirected; at most the first KiB of the answer is read, for the caller to
 * classify, and callers keep none of it.
 */
export async function callDestination(provider: string, url: string, init: ProviderRequest, timeoutMs: number, policy: OutboundPolicy): Promise<HttpAnswer | HttpFailure | DestinationRefused> {
  const refusal = checkDestinationUrl(url, policy);
  if (refusal) return { outcome: 'permanent', ...refusal };
  return send(provider, url, init, timeoutMs, destinationPool(policy), DESTINATION_ANSWER_BYTES);
}

async function readAtMost(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

async function send(provider: string, url: string, init: ProviderRequest, timeoutMs: number, dispatcher: Agent, answerLimit: number | null): Promise<HttpAnswer | HttpFailure | DestinationRefused> {
  try {
    const res = await request(url, {
      method: init.method as 'POST',
      headers: init.headers,
      body: init.body,
      dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = answerLimit === null ? await res.body.text() : await readAtMost(res.body, answerLimit);
    const headers = res.headers;
    return {
      status: res.statusCode,
      headers: {
        get: (name) => {
          const value = headers[name.toLowerCase()];
          return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
        },
      },
      text,
    };
  } catch (err) {
    const e = err as { code?: string; message?: string; cause?: { code?: string } };
    if (e.code === DESTINATION_REFUSED || e.cause?.code === DESTINATION_REFUSED) {
      return { outcome: 'permanent', code: 'destination_address_refused', message: 'the destination resolves to a loopback, private, link-local or metadata address' };
    }
    return classifyNetworkError(provider, err);
  }
}

export function classifyNetworkError(provider: string, err: unknown): HttpFailure {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string; [CONNECT_FAILED]?: true }; [CONNECT_FAILED]?: true };
  const code = e.cause?.code ?? e.code;
  if ((code && NOT_SENT.has(code)) || e[CONNECT_FAILED] || e.cause?.[CONNECT_FAILED]) return { outcome: 'transient', code: `${provider}_unreachable`, message: `${code}: ${e.cause?.message ?? e.message ?? ''}`.slice(0, 500) };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || (code && TIMED_OUT.has(code))) {
    return { outcome: 'unknown', code: `${provider}_timeout`, message: 'no answer within the time limit; the provider may have accepted the request' };
  }
  return { outcome: 'unknown', code: `${provider}_connection_lost`, message: `${code ?? e.name ?? 'error'}: ${e.cause?.message ?? e.message ?? ''}`.slice(0, 500) };
}

export function isHttpFailure(value: HttpAnswer | HttpFailure | DestinationRefused): value is HttpFailure | DestinationRefused {
  return 'outcome' in value;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** How a provider's error table sorts an answer: a dead address (token or subscription), or permanent, or transient. */
export type ProviderErrorKind = 'dead' | 'permanent' | 'transient';

/** The SendResult of a classified provider error; transient ones carry the provider's Retry-After. */
export function failureOf(kind: ProviderErrorKind, code: string, message: string, retryAfter: string | null | undefined): SendResult {
  switch (kind) {
    case 'dead':
      return { outcome: 'permanent', code, message, deadAddress: true };
    case 'permanent':
      return { outcome: 'permanent', code, message };
    case 'transient':
      return { outcome: 'transient', code, message, retryAfterMs: retryAfterMs(retryAfter) };
  }
}
