import { Injectable, Logger } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import { DeadLetterQueue, type DeadLetterRedriveReport } from '../../../domain/ports/dead-letter-queue.port';

/**
 * Moves dead-lettered messages back to their channel queue (named ones, or all). Poison messages, which
 * name no notification, stay where they are. A redriven message for a notification already settled is
 * harmless: the worker's claim ignores it.
 */
@Injectable()
export class RedriveDeadLetters {
  private readonly logger = new Logger('DeadLetters');

  constructor(private readonly dlq: DeadLetterQueue) {}

  async execute(input: { channel: Channel; messageIds: string[] | null }, by: string): Promise<DeadLetterRedriveReport> {
    const report = await this.dlq.redrive(input.channel, input.messageIds);
    this.logger.log({ msg: 'dead letters redriven', channel: input.channel, ...report, by });
    return report;
  }
}
