import { Injectable, Logger } from '@nestjs/common';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import type { NotificationStatus } from '../../../domain/notification/notification-status';
import { FailedNotifications } from '../../../domain/ports/failed-notifications.port';

export interface ResendUnknownInput {
  ids: string[];
  /** The caller's explicit acceptance that a recipient may get the message twice. */
  acceptDuplicateRisk: boolean;
}

export type ResendItem =
  | { id: string; outcome: 'resent'; status: 'queued' }
  | { id: string; outcome: 'not_resendable'; status: NotificationStatus; reason: string }
  | { id: string; outcome: 'not_found' };

export const DUPLICATE_RISK =
  'the outcome of an unknown notification is unknown: the provider may have delivered it already, and sending it again may deliver it twice. ' +
  'Set "acceptDuplicateRisk": true to resend anyway';

/**
 * Sends `unknown` notifications again, only those named and only when the caller says it accepts a possible
 * duplicate. Each moves unknown -> queued with a history row naming who asked, and goes through the outbox like a
 * new notification; its earlier attempts stay on record. Named notifications in any other status are reported
 * and left unchanged. A resend that moved some is recorded in the audit log, in the same transaction.
 */
@Injectable()
export class ResendUnknownNotifications {
  private readonly logger = new Logger('DeadLetters');

  constructor(private readonly notifications: FailedNotifications) {}

  async execute(input: ResendUnknownInput, actorKeyId: string): Promise<{ resent: number; items: ResendItem[] }> {
    const by = `api:${actorKeyId}`;
    if (input.acceptDuplicateRisk !== true) throw new ValidationFailedError([{ field: 'acceptDuplicateRisk', reason: `must be true: ${DUPLICATE_RISK}` }]);
    if (input.ids.length === 0) throw new ValidationFailedError([{ field: 'ids', reason: 'must name at least one notification' }]);
    const ids = [...new Set(input.ids.map((id) => id.toLowerCase()))];
    const resent = new Set(
      await this.notifications.resendUnknown(ids, `resent by ${by}, who accepted the risk of a duplicate`, (moved) => {
        if (moved.length === 0) return null;
        // The ids are few (the request names each), so all of them are kept.
        return {
          keyId: actorKeyId,
          action: 'notifications.resent',
          target: 'notifications:unknown',
          before: { status: 'unknown', notificationIds: moved },
          after: { status: 'queued', acceptedDuplicateRisk: true, resent: moved.length, notificationIds: moved },
        };
      }),
    );
    const others = await this.notifications.summaries(ids.filter((id) => !resent.has(id)));
    const items = ids.map((id): ResendItem => {
      if (resent.has(id)) return { id, outcome: 'resent', status: 'queued' };
      const found = others.get(id);
      if (!found) return { id, outcome: 'not_found' };
      const reason =
        found.status === 'unknown'
          ? 'another request is changing it; list it again and retry'
          : `only unknown notifications can be resent; this one is ${found.status}`;
      return { id, outcome: 'not_resendable', status: found.status, reason };
    });
    this.logger.log({ msg: 'unknown notifications resent', resent: resent.size, notificationIds: [...resent], by });
    return { resent: resent.size, items };
  }
}
