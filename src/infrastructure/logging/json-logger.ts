import type { LoggerService, LogLevel } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { ErrorReporter } from './error-reporter';
import { redactText } from './redact-text';

/**
 * Fields never written as they are: credentials, and message content (subjects and bodies belong to the
 * recipient, not to the logs). Matched at the top level of a line and one level down.
 */
const SENSITIVE_FIELDS = new Set(['password', 'pass', 'secret', 'authorization', 'cookie', 'apiKey', 'token', 'accessToken', 'smtpUrl', 'content', 'subject', 'text', 'html', 'body']);
const SENSITIVE_HEADERS = new Set(['authorization', 'cookie']);
const CENSOR = '[redacted]';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Error);

/** A copy of `fields` with the named keys censored, or `fields` itself when none is present. */
function censored(fields: Record<string, unknown>, sensitive: Set<string>, deeper?: (key: string, value: unknown) => unknown): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const key in fields) {
    const value = fields[key];
    const replaced = sensitive.has(key) ? CENSOR : deeper ? deeper(key, value) : value;
    if (replaced !== value) (out ??= { ...fields })[key] = replaced;
  }
  return out ?? fields;
}

/**
 * Censors the sensitive fields of a log line at the top level and one level down, and the request's
 * authorization and cookie headers. The caller's objects are never changed; a line without such fields
 * is written as it is. (pino's path-based `redact` did the same at four times the cost of the rest of
 * the line, on every line.)
 */
export function redactSensitive(line: Record<string, unknown>): Record<string, unknown> {
  return censored(line, SENSITIVE_FIELDS, (key, value) => {
    if (!isPlainObject(value)) return value;
    const inner = censored(value, SENSITIVE_FIELDS);
    if (key === 'req' && isPlainObject(inner.headers)) {
      const headers = censored(inner.headers, SENSITIVE_HEADERS);
      return headers === inner.headers ? inner : { ...inner, headers };
    }
    return inner;
  });
}

/** How long a line may wait in the buffer before it is written. */
const FLUSH_INTERVAL_MS = 250;

/**
 * Standard output, written asynchronously in chunks of at least 4 KiB, and at least every 250 ms: one
 * write per line cost a system call per notification on the send path. Flushed when the process exits.
 */
function bufferedStdout(): pino.DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: FLUSH_INTERVAL_MS });
  buffered.add(stream);
  return stream;
}

const buffered = new Set<{ flushSync(): void }>();

/**
 * Writes buffered lines out now. Called when the application shuts down: Nest then ends the process with
 * the signal it received, which skips the exit handlers that would otherwise flush.
 */
export function flushLogs(): void {
  for (const stream of buffered) {
    try {
      stream.flushSync();
    } catch {
      // not open yet, or already closed: nothing to write
    }
  }
}

/** Nest's logger as one JSON object per line (pino). Objects passed as messages are merged into the line. */
export class JsonLogger implements LoggerService {
  private readonly pino: Logger;

  constructor(
    level = 'info',
    destination?: pino.DestinationStream,
    private readonly reporter?: ErrorReporter,
    private readonly secretValues: readonly string[] = [],
  ) {
    this.pino = pino(
      {
        level,
        base: { service: 'herald', pid: process.pid },
        formatters: { log: redactSensitive },
      },
      destination ?? bufferedStdout(),
    );
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    if (context !== undefined && stackOrContext) this.write('error', message, context, stackOrContext);
    else this.write('error', message, context ?? stackOrContext);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }
  setLogLevels(_levels: LogLevel[]): void {}

  private write(level: pino.Level, message: unknown, context?: string, stack?: string): void {
    if (level === 'error' || level === 'fatal') {
      // Error lines quote what failed, and a failure's message may carry a credential (a URL with a token, a
      // password): their text is censored (`redactText`). Rare lines, so the cost stays off the send path.
      message = this.censorText(message);
      if (this.reporter && this.pino.isLevelEnabled(level)) this.report(level, message, context, stack);
    }
    if (message && typeof message === 'object' && !(message instanceof Error)) this.pino[level]({ context, stack, ...(message as object) });
    else if (message instanceof Error) this.pino[level]({ context, err: message }, message.message);
    else this.pino[level]({ context, stack }, String(message));
  }

  private report(level: 'error' | 'fatal', message: unknown, context?: string, stack?: string): void {
    const base = { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.reporter!.report(level, message.message, base, message);
    else if (message && typeof message === 'object') {
      const { msg, err, ...fields } = message as Record<string, unknown>;
      const text = typeof msg === 'string' ? msg : err instanceof Error ? err.message : 'error';
      this.reporter!.report(level, text, { ...base, ...fields, ...(err !== undefined && !(err instanceof Error) ? { err } : {}) }, err instanceof Error ? err : undefined);
    } else this.reporter!.report(level, String(message), base);
  }

  private censorText(message: unknown): unknown {
    if (typeof message === 'string') return redactText(message, this.secretValues);
    if (message && typeof message === 'object' && !(message instanceof Error) && typeof (message as { msg?: unknown }).msg === 'string') {
      return { ...message, msg: redactText((message as { msg: string }).msg, this.secretValues) };
    }
    return message;
  }
}
