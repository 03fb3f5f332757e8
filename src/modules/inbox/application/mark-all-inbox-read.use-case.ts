import { Injectable } from '@nestjs/common';
import { Inbox } from '../../../domain/ports/inbox.port';

@Injectable()
export class MarkAllInboxRead {
  constructor(private readonly inbox: Inbox) {}

  /** Returns how many items were unread. */
  execute(input: { userId: string }): Promise<number> {
    return this.inbox.markAllRead(input.userId);
  }
}
