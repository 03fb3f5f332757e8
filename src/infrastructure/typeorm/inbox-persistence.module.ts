import { Module } from '@nestjs/common';
import { Inbox, InboxFeed } from '../../domain/ports/inbox.port';
import { InboxTypeormRepository } from './inbox.typeorm-repository';
import { PgInboxFeed } from './inbox-feed.pg-listener';

/** PostgreSQL binding for the in-app inbox and its live feed (LISTEN/NOTIFY). */
@Module({
  providers: [
    { provide: Inbox, useClass: InboxTypeormRepository },
    { provide: InboxFeed, useClass: PgInboxFeed },
  ],
  exports: [Inbox, InboxFeed],
})
export class InboxPersistenceModule {}
