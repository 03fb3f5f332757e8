import { Module, type DynamicModule } from '@nestjs/common';
import { NotificationsController } from './api/notifications.controller';
import { AcceptNotifications } from './application/accept-notifications.use-case';
import { GetNotification } from './application/get-notification.use-case';

/** Accepting notification requests and reporting on them. Controllers only in the api role. */
@Module({})
export class IngestionModule {
  static register(options: { http: boolean }): DynamicModule {
    return {
      module: IngestionModule,
      controllers: options.http ? [NotificationsController] : [],
      providers: [AcceptNotifications, GetNotification],
      exports: [AcceptNotifications, GetNotification],
    };
  }
}
