import { Injectable } from '@nestjs/common';
import { InboxItemNotFoundError } from '../../../domain/errors/domain-errors';
import { Inbox } from '../../../domain/ports/inbox.port';

/** Archives one item: it leaves the default listing and the unread count. */
@Injectable()
export class ArchiveInboxItem {
  constructor(private readonly inbox: Inbox) {}

  async execute(input: { userId: string; itemId: string }): Promise<void> {
    if ((await this.inbox.archive(input.userId, [input.itemId])) === 0) throw new InboxItemNotFoundError(input.userId, input.itemId);
  }
}
