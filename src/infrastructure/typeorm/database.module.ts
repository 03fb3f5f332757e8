import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { HeraldConfig } from '../config/herald-config';
import { ApiKeyStore } from '../../domain/ports/api-key-store.port';
import { DeliveryLedger } from '../../domain/ports/delivery-ledger.port';
import { NotificationIntake } from '../../domain/ports/notification-intake.port';
import { NotificationReader } from '../../domain/ports/notification-reader.port';
import { Outbox } from '../../domain/ports/outbox.port';
import { JobLock } from '../../domain/ports/job-lock.port';
import { RecipientDirectory } from '../../domain/ports/recipient-directory.port';
import { ShardLeases } from '../../domain/ports/shard-leases.port';
import { RejectedEventLog } from '../../domain/ports/rejected-event-log.port';
import { RecipientDirectoryTypeormRepository } from './recipient-directory.typeorm-repository';
import { AdvisoryJobLock } from './advisory-job-lock';
import { ApiKeyTypeormRepository } from './api-key.typeorm-repository';
import { RateLimitCounters } from '../../domain/ports/rate-limit-counters.port';
import { RateLimitCountersTypeormRepository } from './rate-limit-counters.typeorm-repository';
import { createDataSource, runMigrationsLocked } from './data-source';
import { DeliveryLedgerTypeormRepository } from './delivery-ledger.typeorm-repository';
import { CoalescingDeliveryLedger } from './delivery-ledger.coalescing';
import { NotificationIntakeTypeormRepository } from './notification-intake.typeorm-repository';
import { CoalescingNotificationIntake } from './notification-intake.coalescing';
import { NotificationReaderTypeormRepository } from './notification-reader.typeorm-repository';
import { OutboxTypeormRepository } from './outbox.typeorm-repository';
import { Inbox, InboxFeed } from '../../domain/ports/inbox.port';
import { InboxTypeormRepository } from './inbox.typeorm-repository';
import { PgInboxFeed } from './inbox-feed.pg-listener';
import { PreferenceStore } from '../../domain/ports/preference-store.port';
import { TemplateStore } from '../../domain/ports/template-store.port';
import { TopicFanoutStore } from '../../domain/ports/topic-fanout.port';
import { TopicStore } from '../../domain/ports/topic-store.port';
import { PreferenceStoreTypeormRepository } from './preference-store.typeorm-repository';
import { TemplateStoreTypeormRepository } from './template-store.typeorm-repository';
import { TopicFanoutTypeormRepository } from './topic-fanout.typeorm-repository';
import { TopicStoreTypeormRepository } from './topic-store.typeorm-repository';
import { FailedNotifications } from '../../domain/ports/failed-notifications.port';
import { FailedNotificationsTypeormRepository } from './failed-notifications.typeorm-repository';
import { ScheduleBook } from '../../domain/ports/schedule-book.port';
import { ScheduleBookTypeormRepository } from './schedule-book.typeorm-repository';
import { SendHistory } from '../../domain/ports/send-history.port';
import { SendHistoryTypeormRepository } from './send-history.typeorm-repository';
import { DeliveryEvents } from '../../domain/ports/delivery-events.port';
import { SuppressionList } from '../../domain/ports/suppression-list.port';
import { DeliveryEventsTypeormRepository } from './delivery-events.typeorm-repository';
import { SuppressionListTypeormRepository } from './suppression-list.typeorm-repository';
import { StatusFeed } from '../../domain/ports/status-feed.port';
import { StatusFeedTypeormRepository } from './status-feed.typeorm-repository';
import { ShardLeasesTypeormRepository } from './shard-leases.typeorm-repository';
import { RejectedEventLogTypeormRepository } from './rejected-event-log.typeorm-repository';

const PORTS = [
  {
    provide: NotificationIntake,
    inject: [NotificationIntakeTypeormRepository, HeraldConfig],
    // Half the pool for concurrent intake transactions; small requests arriving meanwhile share the next one.
    useFactory: (repository: NotificationIntake, config: HeraldConfig) =>
      new CoalescingNotificationIntake(repository, Math.max(1, Math.floor(config.database.poolSize / 2))),
  },
  { provide: NotificationReader, useClass: NotificationReaderTypeormRepository },
  {
    provide: DeliveryLedger,
    inject: [DeliveryLedgerTypeormRepository],
    // One statement of each kind at a time: a worker's pollers reach the same step together, and share it.
    useFactory: (repository: DeliveryLedger) => new CoalescingDeliveryLedger(repository, 1),
  },
  { provide: Outbox, useClass: OutboxTypeormRepository },
  { provide: ApiKeyStore, useClass: ApiKeyTypeormRepository },
  { provide: RateLimitCounters, useClass: RateLimitCountersTypeormRepository },
  { provide: JobLock, useClass: AdvisoryJobLock },
  { provide: RecipientDirectory, useClass: RecipientDirectoryTypeormRepository },
  { provide: Inbox, useClass: InboxTypeormRepository },
  { provide: InboxFeed, useClass: PgInboxFeed },
  { provide: PreferenceStore, useClass: PreferenceStoreTypeormRepository },
  { provide: TemplateStore, useClass: TemplateStoreTypeormRepository },
  { provide: TopicStore, useClass: TopicStoreTypeormRepository },
  { provide: TopicFanoutStore, useClass: TopicFanoutTypeormRepository },
  { provide: FailedNotifications, useClass: FailedNotificationsTypeormRepository },
  { provide: ScheduleBook, useClass: ScheduleBookTypeormRepository },
  { provide: SendHistory, useClass: SendHistoryTypeormRepository },
  { provide: DeliveryEvents, useClass: DeliveryEventsTypeormRepository },
  { provide: SuppressionList, useClass: SuppressionListTypeormRepository },
  { provide: StatusFeed, useClass: StatusFeedTypeormRepository },
  { provide: ShardLeases, useClass: ShardLeasesTypeormRepository },
  { provide: RejectedEventLog, useClass: RejectedEventLogTypeormRepository },
];

/** PostgreSQL binding: the DataSource (migrated under an advisory lock before anything uses it) and the ports it implements. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [HeraldConfig],
      useFactory: (config: HeraldConfig) => ({
        ...createDataSource(config.database.url, config.database.poolSize).options,
        retryAttempts: 5,
        retryDelay: 2000,
      }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        return new DataSource(options!).initialize();
      },
    }),
  ],
  providers: [
    NotificationIntakeTypeormRepository,
    DeliveryLedgerTypeormRepository,
    ...PORTS,
    {
      provide: 'HERALD_MIGRATIONS',
      inject: [DataSource, HeraldConfig],
      useFactory: async (dataSource: DataSource, config: HeraldConfig) => {
        if (!config.database.runMigrations) return [];
        const applied = await runMigrationsLocked(dataSource);
        if (applied.length) new Logger('Migrations').log(`applied ${applied.join(', ')}`);
        return applied;
      },
    },
  ],
  exports: [...PORTS.map((p) => p.provide), 'HERALD_MIGRATIONS'],
})
export class DatabaseModule {}
