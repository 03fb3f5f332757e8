import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { HeraldConfig } from '../config/herald-config';
import { createDataSource, runMigrationsLocked } from './data-source';

/**
 * The PostgreSQL connection, migrated under an advisory lock before anything uses it. Imported once, by the
 * root module; the ports are bound by the *-persistence modules, which feature modules import as they need them.
 */
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
  exports: ['HERALD_MIGRATIONS'],
})
export class DatabaseModule {}
