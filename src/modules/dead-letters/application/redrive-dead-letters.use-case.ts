import { Injectable, Logger } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import { AuditLog } from '../../../domain/ports/audit-log.port';
import { DeadLetterQueue, type DeadLetterRedriveReport } from '../../../domain/ports/dead-letter-queue.port';

/**
 * Moves dead-lettered messages back to their channel queue (named ones, or all). Poison messages, which
 * name no notification, stay where they are. A redriven message for a notification already settled is
 * harmless: the worker's claim ignores it.
 */
@Injectable()
export class RedriveDeadLetters {
  private readonly logger = new Logger('DeadLetters');

  constructor(
    private readonly dlq: DeadLetterQueue,
    private readonly audit: AuditLog,
  ) {}

  async execute(input: { channel: Channel; messageIds: string[] | null }, actorKeyId: string): Promise<DeadLetterRedriveReport> {
    const report = await this.dlq.redrive(input.channel, input.messageIds);
    this.logger.log({ msg: 'dead letters redriven', channel: input.channel, ...report, by: `api:${actorKeyId}` });
    // Right after the move (the queues share no transaction with Postgres), and only when a message moved.
    if (report.redriven > 0) {
      const selection = input.messageIds ? { messageIds: input.messageIds } : { all: true };
      await this.audit.record({
        keyId: actorKeyId,
        action: 'dead_letters.redriven',
        target: `dead_letters:${input.channel}`,
        before: { channel: input.channel, selection, queue: 'dead-letter' },
        after: { channel: input.channel, selection, queue: 'channel', redriven: report.redriven, poisonKept: report.poison },
      });
    }
    return report;
  }
}
