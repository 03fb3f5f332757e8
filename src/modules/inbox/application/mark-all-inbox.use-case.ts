import { Injectable } from '@nestjs/common';
import { Inbox, type InboxBulkMark } from '../../../domain/ports/inbox.port';

/** Marks every unarchived item of the user read, seen or archived; returns how many changed. */
@Injectable()
export class MarkAllInbox {
  constructor(private readonly inbox: Inbox) {}

  execute(input: { userId: string; mark: InboxBulkMark }): Promise<number> {
    return this.inbox.markAll(input.userId, input.mark);
  }
}
