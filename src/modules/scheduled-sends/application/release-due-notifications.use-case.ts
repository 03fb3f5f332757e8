import { Injectable, Logger } from '@nestjs/common';
import { ScheduleBook } from '../../../domain/ports/schedule-book.port';

const BATCH = 1000;

/** Releases scheduled notifications whose send time has come: scheduled -> queued, with an outbox entry. Idempotent. */
@Injectable()
export class ReleaseDueNotifications {
  private readonly logger = new Logger('Scheduling');

  constructor(private readonly book: ScheduleBook) {}

  async execute(): Promise<{ released: number }> {
    let released = 0;
    for (;;) {
      const n = await this.book.releaseDue(BATCH);
      released += n;
      if (n < BATCH) break;
    }
    if (released) this.logger.log({ msg: 'scheduled notifications released', job: 'release-scheduled-notifications', released });
    return { released };
  }
}
