import { Module } from '@nestjs/common';
import { InboxPersistenceModule } from '../../infrastructure/typeorm/inbox-persistence.module';
import { ArchiveInboxItem } from './application/archive-inbox-item.use-case';
import { ListInbox } from './application/list-inbox.use-case';
import { MarkAllInboxRead } from './application/mark-all-inbox-read.use-case';
import { MarkInboxItemRead } from './application/mark-inbox-item-read.use-case';
import { StreamInbox } from './application/stream-inbox.use-case';
import { GetInboxCounts } from './application/get-inbox-counts.use-case';
import { InboxStreamSlots } from './application/inbox-stream-slots';
import { ListUserInbox } from './application/list-user-inbox.use-case';
import { MarkAllInbox } from './application/mark-all-inbox.use-case';
import { MarkInboxItem } from './application/mark-inbox-item.use-case';
import { StreamUserInbox } from './application/stream-user-inbox.use-case';

const USE_CASES = [
  ListInbox,
  MarkInboxItemRead,
  MarkAllInboxRead,
  ArchiveInboxItem,
  StreamInbox,
  ListUserInbox,
  GetInboxCounts,
  MarkInboxItem,
  MarkAllInbox,
  StreamUserInbox,
  InboxStreamSlots,
];

/** The in-app inbox as users see it: pages, counts, read, seen and archive marks, and live streams. */
@Module({ imports: [InboxPersistenceModule], providers: USE_CASES, exports: USE_CASES })
export class InboxModule {}
