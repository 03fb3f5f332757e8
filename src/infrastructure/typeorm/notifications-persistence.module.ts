import { Module } from '@nestjs/common';
import { NotificationIntake } from '../../domain/ports/notification-intake.port';
import { NotificationReader } from '../../domain/ports/notification-reader.port';
import { ScheduleBook } from '../../domain/ports/schedule-book.port';
import { NotificationReaderTypeormRepository } from './notification-reader.typeorm-repository';
import { ScheduleBookTypeormRepository } from './schedule-book.typeorm-repository';
import { HeraldConfig } from '../config/herald-config';
import { NotificationIntakeTypeormRepository } from './notification-intake.typeorm-repository';
import { CoalescingNotificationIntake } from './notification-intake.coalescing';
import { DataEncryptionModule } from '../crypto/data-encryption.module';

/** PostgreSQL binding for notification requests as accepted, read back, and held for a send-at time. */
@Module({
  imports: [DataEncryptionModule],
  providers: [
    NotificationIntakeTypeormRepository,
    {
      provide: NotificationIntake,
      inject: [NotificationIntakeTypeormRepository, HeraldConfig],
      // Half the pool for concurrent intake transactions; small requests arriving meanwhile share the next one.
      useFactory: (repository: NotificationIntake, config: HeraldConfig) =>
        new CoalescingNotificationIntake(repository, Math.max(1, Math.floor(config.database.poolSize / 2))),
    },
    { provide: NotificationReader, useClass: NotificationReaderTypeormRepository },
    { provide: ScheduleBook, useClass: ScheduleBookTypeormRepository },
  ],
  exports: [NotificationIntake, NotificationReader, ScheduleBook],
})
export class NotificationsPersistenceModule {}
