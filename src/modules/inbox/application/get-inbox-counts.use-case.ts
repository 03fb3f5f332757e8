import { Injectable } from '@nestjs/common';
import { Inbox, type InboxCounts } from '../../../domain/ports/inbox.port';

/** Unread and unseen items of the user, archived ones left out: what a badge shows. */
@Injectable()
export class GetInboxCounts {
  constructor(private readonly inbox: Inbox) {}

  execute(input: { userId: string }): Promise<InboxCounts> {
    return this.inbox.counts(input.userId);
  }
}
