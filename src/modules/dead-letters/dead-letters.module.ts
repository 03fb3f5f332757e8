import { Module, type DynamicModule } from '@nestjs/common';
import { DeadLettersController } from './api/dead-letters.controller';
import { ListDeadLetters } from './application/list-dead-letters.use-case';
import { ListFailedNotifications } from './application/list-failed-notifications.use-case';
import { RedriveDeadLetters } from './application/redrive-dead-letters.use-case';
import { RedriveFailedNotifications } from './application/redrive-failed-notifications.use-case';

const USE_CASES = [ListFailedNotifications, RedriveFailedNotifications, ListDeadLetters, RedriveDeadLetters];

/** Failed and dead-lettered notifications: listed with their last error, and sent again. Controllers only in the api role. */
@Module({})
export class DeadLettersModule {
  static register(options: { http: boolean }): DynamicModule {
    return {
      module: DeadLettersModule,
      controllers: options.http ? [DeadLettersController] : [],
      providers: USE_CASES,
      exports: USE_CASES,
    };
  }
}
