import { Injectable } from '@nestjs/common';
import { Inbox, type InboxPage } from '../../../domain/ports/inbox.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

@Injectable()
export class ListInbox {
  constructor(
    private readonly inbox: Inbox,
    private readonly config: HeraldConfig,
  ) {}

  execute(input: { userId: string; cursor?: string; limit?: number; includeArchived?: boolean }): Promise<InboxPage> {
    return this.inbox.list(input.userId, {
      cursor: input.cursor ?? null,
      limit: input.limit ?? this.config.channels.inbox.pageSize,
      includeArchived: input.includeArchived ?? false,
    });
  }
}
