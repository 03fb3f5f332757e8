import { Module, type DynamicModule } from '@nestjs/common';
import { CancelNotificationController } from './api/cancel-notification.controller';
import { CancelNotification } from './application/cancel-notification.use-case';
import { ReleaseDueNotifications } from './application/release-due-notifications.use-case';

/** Scheduled sends (released by the scheduler role) and cancellation. Controllers only in the api role. */
@Module({})
export class SchedulingModule {
  static register(options: { http: boolean }): DynamicModule {
    return {
      module: SchedulingModule,
      controllers: options.http ? [CancelNotificationController] : [],
      providers: [CancelNotification, ReleaseDueNotifications],
      exports: [CancelNotification, ReleaseDueNotifications],
    };
  }
}
