import { Injectable } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import { DeadLetterQueue, type DeadLetter } from '../../../domain/ports/dead-letter-queue.port';
import { FailedNotifications, type NotificationSummary } from '../../../domain/ports/failed-notifications.port';

export interface DeadLetterView extends DeadLetter {
  /** The current state of each notification the message names (those that still exist). */
  notifications: NotificationSummary[];
}

/** Messages in a channel's dead-letter queue, each with the state of the notifications it names. */
@Injectable()
export class ListDeadLetters {
  constructor(
    private readonly dlq: DeadLetterQueue,
    private readonly failed: FailedNotifications,
  ) {}

  async execute(input: { channel: Channel; limit: number }): Promise<DeadLetterView[]> {
    const letters = await this.dlq.peek(input.channel, input.limit);
    const summaries = await this.failed.summaries(letters.flatMap((l) => l.notificationIds));
    return letters.map((l) => ({ ...l, notifications: l.notificationIds.flatMap((id) => summaries.get(id) ?? []) }));
  }
}
