import { Injectable } from '@nestjs/common';
import { Inbox, type InboxFilter, type InboxItem } from '../../../domain/ports/inbox.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

/** A page of the user's own inbox, newest first by sequence; the cursor is the sequence the next page starts below. */
@Injectable()
export class ListUserInbox {
  constructor(
    private readonly inbox: Inbox,
    private readonly config: HeraldConfig,
  ) {}

  async execute(input: { userId: string; filter?: InboxFilter; category?: string; cursor?: string; limit?: number }): Promise<{ items: InboxItem[]; nextCursor: string | null }> {
    const page = await this.inbox.page(input.userId, {
      filter: input.filter ?? 'all',
      category: input.category ?? null,
      beforeSequence: input.cursor === undefined ? null : Number(input.cursor),
      limit: input.limit ?? this.config.channels.inbox.pageSize,
    });
    return { items: page.items, nextCursor: page.nextBefore === null ? null : String(page.nextBefore) };
  }
}
