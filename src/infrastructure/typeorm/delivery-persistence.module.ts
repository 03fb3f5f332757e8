import { Module } from '@nestjs/common';
import { DeliveryLedger } from '../../domain/ports/delivery-ledger.port';
import { Outbox } from '../../domain/ports/outbox.port';
import { SendHistory } from '../../domain/ports/send-history.port';
import { FailedNotifications } from '../../domain/ports/failed-notifications.port';
import { StatusFeed } from '../../domain/ports/status-feed.port';
import { DeliveryEvents } from '../../domain/ports/delivery-events.port';
import { SuppressionList } from '../../domain/ports/suppression-list.port';
import { OutboxTypeormRepository } from './outbox.typeorm-repository';
import { SendHistoryTypeormRepository } from './send-history.typeorm-repository';
import { FailedNotificationsTypeormRepository } from './failed-notifications.typeorm-repository';
import { StatusFeedTypeormRepository } from './status-feed.typeorm-repository';
import { DeliveryEventsTypeormRepository } from './delivery-events.typeorm-repository';
import { SuppressionListTypeormRepository } from './suppression-list.typeorm-repository';
import { DeliveryLedgerTypeormRepository } from './delivery-ledger.typeorm-repository';
import { CoalescingDeliveryLedger } from './delivery-ledger.coalescing';
import { DataEncryptionModule } from '../crypto/data-encryption.module';

/** PostgreSQL binding for the delivery side: the ledger, the outbox, send history, failures, status feed, provider events and suppressions. */
@Module({
  imports: [DataEncryptionModule],
  providers: [
    DeliveryLedgerTypeormRepository,
    {
      provide: DeliveryLedger,
      inject: [DeliveryLedgerTypeormRepository],
      // One statement of each kind at a time: a worker's pollers reach the same step together, and share it.
      useFactory: (repository: DeliveryLedger) => new CoalescingDeliveryLedger(repository, 1),
    },
    { provide: Outbox, useClass: OutboxTypeormRepository },
    { provide: SendHistory, useClass: SendHistoryTypeormRepository },
    { provide: FailedNotifications, useClass: FailedNotificationsTypeormRepository },
    { provide: StatusFeed, useClass: StatusFeedTypeormRepository },
    { provide: DeliveryEvents, useClass: DeliveryEventsTypeormRepository },
    { provide: SuppressionList, useClass: SuppressionListTypeormRepository },
  ],
  exports: [DeliveryLedger, Outbox, SendHistory, FailedNotifications, StatusFeed, DeliveryEvents, SuppressionList],
})
export class DeliveryPersistenceModule {}
