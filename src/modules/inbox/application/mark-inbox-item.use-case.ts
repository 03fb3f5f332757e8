import { Injectable } from '@nestjs/common';
import { InboxItemNotFoundError } from '../../../domain/errors/domain-errors';
import { Inbox, type InboxMark } from '../../../domain/ports/inbox.port';

/** Marks one of the user's items read, unread, seen, archived or not; marking it as it already is changes nothing. */
@Injectable()
export class MarkInboxItem {
  constructor(private readonly inbox: Inbox) {}

  async execute(input: { userId: string; itemId: string; mark: InboxMark }): Promise<void> {
    if (!(await this.inbox.mark(input.userId, input.itemId, input.mark))) throw new InboxItemNotFoundError(input.userId, input.itemId);
  }
}
