import type { LoggerService, LogLevel } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/** Nest's logger as one JSON object per line (pino). Objects passed as messages are merged into the line. */
export class JsonLogger implements LoggerService {
  private readonly pino: Logger;

  constructor(level = 'info', destination?: pino.DestinationStream) {
    this.pino = pino(
      {
        level,
        base: { service: 'herald', pid: process.pid },
        redact: { paths: ['password', 'secret', 'authorization', '*.password', '*.secret', '*.authorization'], censor: '[redacted]' },
      },
      destination,
    );
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    this.write('error', message, context ?? stackOrContext);
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

  private write(level: pino.Level, message: unknown, context?: string): void {
    if (message && typeof message === 'object' && !(message instanceof Error)) this.pino[level]({ context, ...(message as object) });
    else if (message instanceof Error) this.pino[level]({ context, err: message }, message.message);
    else this.pino[level]({ context }, String(message));
  }
}
