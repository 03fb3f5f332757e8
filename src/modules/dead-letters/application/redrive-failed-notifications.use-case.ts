import { Injectable, Logger } from '@nestjs/common';
import { auditedIds } from '../../../domain/audit/audit-state';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import type { AuditOf } from '../../../domain/ports/audit-log.port';
import { FailedNotifications, type FailedNotificationFilter } from '../../../domain/ports/failed-notifications.port';

export type RedriveFailedInput = { ids: string[] } | { filter: FailedNotificationFilter } | { all: true };

/**
 * Sends failed notifications again: one, a filter, or all. Each moves failed -> queued (with a history
 * row) and gets an outbox entry; its earlier attempts stay on record. Running it twice redrives nothing
 * twice: the second run finds them no longer failed, and only a redrive that moved some is in the audit log.
 */
@Injectable()
export class RedriveFailedNotifications {
  private readonly logger = new Logger('DeadLetters');

  constructor(private readonly failed: FailedNotifications) {}

  async execute(input: RedriveFailedInput, actorKeyId: string): Promise<{ redriven: number; ids: string[] }> {
    const by = `api:${actorKeyId}`;
    const reason = `redriven by ${by}`;
    const audit = redriveAudit(actorKeyId, input);
    let ids: string[];
    if ('ids' in input) {
      if (input.ids.length === 0) throw new ValidationFailedError([{ field: 'ids', reason: 'must name at least one notification' }]);
      ids = await this.failed.redrive({ ids: input.ids }, reason, audit);
    } else if ('all' in input) {
      ids = await this.failed.redrive({ filter: {} }, reason, audit);
    } else {
      if (Object.values(input.filter).every((v) => v === undefined)) {
        throw new ValidationFailedError([{ field: 'filter', reason: 'must set at least one field; use "all": true to redrive every failed notification' }]);
      }
      ids = await this.failed.redrive({ filter: input.filter }, reason, audit);
    }
    this.logger.log({ msg: 'failed notifications redriven', redriven: ids.length, by });
    return { redriven: ids.length, ids };
  }
}

/** The selection as asked (how many named, a filter, or all), and the notifications it moved from failed to queued. */
function redriveAudit(keyId: string, input: RedriveFailedInput): AuditOf<string[]> {
  const selection = 'ids' in input ? { named: input.ids.length } : 'filter' in input ? { filter: JSON.parse(JSON.stringify(input.filter)) as Record<string, unknown> } : input;
  return (moved) => {
    if (moved.length === 0) return null;
    const { count, ids, idsLeftOut } = auditedIds(moved);
    const listed = { notificationIds: ids, ...(idsLeftOut ? { notificationIdsLeftOut: idsLeftOut } : {}) };
    return {
      keyId,
      action: 'notifications.redriven',
      target: 'notifications:failed',
      before: { selection, status: 'failed', ...listed },
      after: { selection, status: 'queued', redriven: count, ...listed },
    };
  };
}
