/** Where lines logged at error level go besides the log, such as an error tracker. */
export interface ErrorReporter {
  /** `fields` are the line's own fields; `error` the Error logged, if one was. Never throws. */
  report(level: 'error' | 'fatal', message: string, fields: Record<string, unknown>, error?: Error): void;
  /** Sends what is queued, waiting at most `timeoutMs`. */
  flush(timeoutMs: number): Promise<void>;
}
