import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { flushLogs } from './json-logger';

/** Writes out buffered log lines as the application shuts down, so that its last lines are not lost. */
@Injectable()
export class LogFlushHook implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    flushLogs();
  }
}
