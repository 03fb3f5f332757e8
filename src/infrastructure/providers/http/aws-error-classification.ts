import type { SendResult } from '../../../domain/notification/send-result';
import { classifyNetworkError, retryAfterMs } from './provider-http';

export type ErrorKind = 'permanent' | 'transient';

interface AwsServiceError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
}

/**
 * Classifies an AWS SDK error with a provider's table of error names; names not in the table fall back on
 * the HTTP status (429 and 5xx transient, other 4xx permanent). No HTTP status means no answer arrived:
 * a connection failure is transient, a timeout or a dropped connection is unknown.
 */
export function classifyAwsError(provider: string, err: unknown, table: Record<string, ErrorKind>): SendResult {
  const e = err as AwsServiceError;
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return classifyNetworkError(provider, err);
  const name = e.name ?? 'Error';
  const kind = table[name] ?? (status === 429 || status >= 500 ? 'transient' : 'permanent');
  const code = `${provider}_${name}`;
  const message = (e.message ?? `HTTP ${status}`).slice(0, 500);
  if (kind === 'transient') return { outcome: 'transient', code, message, retryAfterMs: retryAfterMs(e.$response?.headers?.['retry-after']) };
  return { outcome: 'permanent', code, message };
}
