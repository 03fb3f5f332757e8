import { Module, type DynamicModule } from '@nestjs/common';
import { InboxController } from './api/inbox.controller';
import { ArchiveInboxItem } from './application/archive-inbox-item.use-case';
import { ListInbox } from './application/list-inbox.use-case';
import { MarkAllInboxRead } from './application/mark-all-inbox-read.use-case';
import { MarkInboxItemRead } from './application/mark-inbox-item-read.use-case';
import { StreamInbox } from './application/stream-inbox.use-case';

/** The in-app inbox as users see it: pages, read and archive marks, and a live stream. Controllers only in the api role. */
@Module({})
export class InboxModule {
  static register(options: { http: boolean }): DynamicModule {
    return {
      module: InboxModule,
      controllers: options.http ? [InboxController] : [],
      providers: [ListInbox, MarkInboxItemRead, MarkAllInboxRead, ArchiveInboxItem, StreamInbox],
    };
  }
}
