import { Injectable, Logger } from '@nestjs/common';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { FailedNotifications, type FailedNotificationFilter } from '../../../domain/ports/failed-notifications.port';

export type RedriveFailedInput = { ids: string[] } | { filter: FailedNotificationFilter } | { all: true };

/**
 * Sends failed notifications again: one, a filter, or all. Each moves failed -> queued (with a history
 * row) and gets an outbox entry; its earlier attempts stay on record. Running it twice redrives nothing
 * twice: the second run finds them no longer failed.
 */
@Injectable()
export class RedriveFailedNotifications {
  private readonly logger = new Logger('DeadLetters');

  constructor(private readonly failed: FailedNotifications) {}

  async execute(input: RedriveFailedInput, by: string): Promise<{ redriven: number; ids: string[] }> {
    const reason = `redriven by ${by}`;
    let ids: string[];
    if ('ids' in input) {
      if (input.ids.length === 0) throw new ValidationFailedError([{ field: 'ids', reason: 'must name at least one notification' }]);
      ids = await this.failed.redrive({ ids: input.ids }, reason);
    } else if ('all' in input) {
      ids = await this.failed.redrive({ filter: {} }, reason);
    } else {
      if (Object.values(input.filter).every((v) => v === undefined)) {
        throw new ValidationFailedError([{ field: 'filter', reason: 'must set at least one field; use "all": true to redrive every failed notification' }]);
      }
      ids = await this.failed.redrive({ filter: input.filter }, reason);
    }
    this.logger.log({ msg: 'failed notifications redriven', redriven: ids.length, by });
    return { redriven: ids.length, ids };
  }
}
