import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { newId } from '../../../domain/notification/ids';
import { checkRequestRules, draftsOf, type NotificationRequest } from '../../../domain/notification/notification-request';
import { DeliveryMetrics } from '../../../domain/ports/delivery-metrics.port';
import { NotificationIntake, type IntakeItem, type IntakeResult } from '../../../domain/ports/notification-intake.port';
import { fingerprint } from './request-fingerprint';

export interface AcceptNotificationsInput {
  /** Idempotency scope: `api:<key id>`, a stream ARN, a queue. */
  source: string;
  items: Array<{ idempotencyKey: string | null; request: NotificationRequest }>;
}

/**
 * Durably accepts notification requests: one transaction for the whole batch, one notification per
 * recipient and channel, each with its outbox entry. A request whose idempotency key was seen before
 * creates nothing and returns what the first one created. Every source (HTTP, queues, streams) calls this.
 */
@Injectable()
export class AcceptNotifications {
  constructor(
    private readonly intake: NotificationIntake,
    private readonly metrics: DeliveryMetrics,
  ) {}

  async execute(input: AcceptNotificationsInput): Promise<IntakeResult[]> {
    const multi = input.items.length > 1;
    const issues = input.items.flatMap((item, i) => checkRequestRules(item.request, multi ? `items[${i}].` : ''));
    if (issues.length) throw new ValidationFailedError(issues);
    const items: IntakeItem[] = input.items.map(({ idempotencyKey, request }) => ({
      source: input.source,
      idempotencyKey,
      requestHash: fingerprint(request),
      requestId: newId(),
      drafts: draftsOf(request).map((d) => ({ ...d, id: newId() })),
      category: request.category ?? null,
      metadata: request.metadata ?? {},
    }));
    const results = await this.intake.acceptBatch(items);
    this.metrics.accepted(
      results.flatMap((r, i) => (r.kind === 'created' ? r.notifications.map((n) => ({ channel: n.channel, category: items[i].category })) : [])),
    );
    return results;
  }
}
