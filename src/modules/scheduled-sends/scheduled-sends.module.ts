import { Module } from '@nestjs/common';
import { NotificationsPersistenceModule } from '../../infrastructure/typeorm/notifications-persistence.module';
import { CancelNotification } from './application/cancel-notification.use-case';
import { ReleaseDueNotifications } from './application/release-due-notifications.use-case';

/** Notifications held for their send-at time: released when due (by the scheduler role), or cancelled. */
@Module({
  imports: [NotificationsPersistenceModule],
  providers: [CancelNotification, ReleaseDueNotifications],
  exports: [CancelNotification, ReleaseDueNotifications],
})
export class ScheduledSendsModule {}
