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
import { RecipientDirectoryTypeormRepository } from './recipient-directory.typeorm-repository';
import { AdvisoryJobLock } from './advisory-job-lock';
import { ApiKeyTypeormRepository } from './api-key.typeorm-repository';
import { createDataSource, runMigrationsLocked } from './data-source';
import { DeliveryLedgerTypeormRepository } from './delivery-ledger.typeorm-repository';
import { NotificationIntakeTypeormRepository } from './notification-intake.typeorm-repository';
import { CoalescingNotificationIntake } from './notification-intake.coalescing';
import { NotificationReaderTypeormRepository } from './notification-reader.typeorm-repository';
import { OutboxTypeormRepository } from './outbox.typeorm-repository';

const PORTS = [
  {
    provide: NotificationIntake,
    inject: [NotificationIntakeTypeormRepository, HeraldConfig],
    // Half the pool for concurrent intake transactions; small requests arriving meanwhile share the next one.
    useFactory: (repository: NotificationIntake, config: HeraldConfig) =>
      new CoalescingNotificationIntake(repository, Math.max(1, Math.floor(config.database.poolSize / 2))),
  },
  { provide: NotificationReader, useClass: NotificationReaderTypeormRepository },
  { provide: DeliveryLedger, useClass: DeliveryLedgerTypeormRepository },
  { provide: Outbox, useClass: OutboxTypeormRepository },
  { provide: ApiKeyStore, useClass: ApiKeyTypeormRepository },
  { provide: JobLock, useClass: AdvisoryJobLock },
  { provide: RecipientDirectory, useClass: RecipientDirectoryTypeormRepository },
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
