import * as Sentry from '@sentry/node';
import type { ErrorEvent } from '@sentry/node';
import type { HeraldConfig } from '../config/herald-config';
import type { ErrorReporter } from '../logging/error-reporter';
import { redactSensitive } from '../logging/json-logger';
import { redactPath } from '../logging/redact-path';
import { redactText } from '../logging/redact-text';

const CENSOR = '[redacted]';
const SENSITIVE_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key', 'x-twilio-signature', 'x-herald-signature']);

/**
 * Sentry, when SENTRY_DSN is set: lines logged at error level and uncaught exceptions and unhandled rejections
 * (after which the process still exits, as Node would) are sent as events. Only error reporting: no tracing, no
 * automatic instrumentation, no breadcrumbs, no personal data. Every event goes through `scrubEvent` first.
 */
export function startSentry(config: HeraldConfig): ErrorReporter {
  const secrets = config.secretValues;
  Sentry.init({
    dsn: config.errorReporting.sentryDsn!,
    environment: config.errorReporting.environment ?? undefined,
    sendDefaultPii: false,
    defaultIntegrations: false,
    skipOpenTelemetrySetup: true,
    integrations: [Sentry.onUncaughtExceptionIntegration(), Sentry.onUnhandledRejectionIntegration({ mode: 'strict' }), Sentry.linkedErrorsIntegration()],
    maxBreadcrumbs: 0,
    beforeSend: (event) => scrubEvent(event, secrets),
  });
  return {
    report(level, message, fields, error) {
      const extra = { ...fields };
      const context = typeof extra.context === 'string' ? extra.context : undefined;
      const options = { level, extra, ...(context ? { tags: { context } } : {}) };
      if (error) Sentry.captureException(error, { ...options, extra: { ...extra, msg: message } });
      else Sentry.captureMessage(message, options);
    },
    async flush(timeoutMs) {
      await Sentry.flush(timeoutMs);
    },
  };
}

/**
 * The log lines' redaction applied to an event: sensitive fields of `extra` censored as in the logs; message,
 * exception values and every string in `extra` cleared of tokens in URLs, URL passwords, bearer tokens and
 * configured secret values; the request's URL reduced to its path as the access log shows it, its credential
 * headers censored, its query, cookies and body dropped.
 */
export function scrubEvent(event: ErrorEvent, secrets: readonly string[]): ErrorEvent {
  const text = (s: string) => redactText(s, secrets);
  if (event.message) event.message = text(event.message);
  if (event.logentry?.message) event.logentry.message = text(event.logentry.message);
  for (const value of event.exception?.values ?? []) if (value.value) value.value = text(value.value);
  if (event.extra) event.extra = scrubStrings(redactSensitive(event.extra), text) as Record<string, unknown>;
  if (event.request) {
    const { url, headers } = event.request;
    if (url) event.request.url = requestUrl(url);
    if (headers) event.request.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SENSITIVE_HEADERS.has(k.toLowerCase()) ? CENSOR : text(String(v))]));
    delete event.request.query_string;
    delete event.request.cookies;
    delete event.request.data;
  }
  delete event.breadcrumbs;
  return event;
}

function requestUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${redactPath(u.pathname)}`;
  } catch {
    return redactPath(url);
  }
}

function scrubStrings(value: unknown, text: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return text(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubStrings(v, text, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrubStrings(v, text, depth + 1)]));
}
