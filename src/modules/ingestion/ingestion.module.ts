import { Module } from '@nestjs/common';
import { MetricsModule } from '../../infrastructure/metrics/metrics.module';
import { NotificationsPersistenceModule } from '../../infrastructure/typeorm/notifications-persistence.module';
import { RecipientsPersistenceModule } from '../../infrastructure/typeorm/recipients-persistence.module';
import { TemplatesPersistenceModule } from '../../infrastructure/typeorm/templates-persistence.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { TemplatesModule } from '../templates/templates.module';
import { AcceptNotifications } from './application/accept-notifications.use-case';
import { GetNotification } from './application/get-notification.use-case';
import { ListNotifications } from './application/list-notifications.use-case';
import { GetNotificationContent } from './application/get-notification-content.use-case';

/** Accepting notification requests and reporting on them. */
@Module({
  imports: [PreferencesModule, TemplatesModule, NotificationsPersistenceModule, TemplatesPersistenceModule, RecipientsPersistenceModule, MetricsModule],
  providers: [AcceptNotifications, GetNotification, ListNotifications, GetNotificationContent],
  exports: [AcceptNotifications, GetNotification, ListNotifications, GetNotificationContent],
})
export class IngestionModule {}
