import { Injectable } from '@nestjs/common';
import { InboxItemNotFoundError } from '../../../domain/errors/domain-errors';
import { Inbox } from '../../../domain/ports/inbox.port';

/** Marks one item read; marking an already-read item again is accepted and changes nothing. */
@Injectable()
export class MarkInboxItemRead {
  constructor(private readonly inbox: Inbox) {}

  async execute(input: { userId: string; itemId: string }): Promise<void> {
    if ((await this.inbox.markRead(input.userId, [input.itemId])) === 0) throw new InboxItemNotFoundError(input.userId, input.itemId);
  }
}
