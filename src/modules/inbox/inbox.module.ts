import { Module } from '@nestjs/common';
import { InboxPersistenceModule } from '../../infrastructure/typeorm/inbox-persistence.module';
import { ArchiveInboxItem } from './application/archive-inbox-item.use-case';
import { ListInbox } from './application/list-inbox.use-case';
import { MarkAllInboxRead } from './application/mark-all-inbox-read.use-case';
import { MarkInboxItemRead } from './application/mark-inbox-item-read.use-case';
import { StreamInbox } from './application/stream-inbox.use-case';

const USE_CASES = [ListInbox, MarkInboxItemRead, MarkAllInboxRead, ArchiveInboxItem, StreamInbox];

/** The in-app inbox as users see it: pages, read and archive marks, and a live stream. */
@Module({ imports: [InboxPersistenceModule], providers: USE_CASES, exports: USE_CASES })
export class InboxModule {}
