import { Module, type DynamicModule } from '@nestjs/common';
import { NotificationsController } from './api/notifications.controller';
import { AcceptNotifications } from './application/accept-notifications.use-case';
import { GetNotification } from './application/get-notification.use-case';
import { PreferencesModule } from '../preferences/preferences.module';
import { TemplatesModule } from '../templates/templates.module';

/** Accepting notification requests and reporting on them. Controllers only in the api role. */
@Module({})
export class IngestionModule {
  static register(options: { http: boolean }): DynamicModule {
    return {
      module: IngestionModule,
      imports: [PreferencesModule, TemplatesModule.register({ http: false })],
      controllers: options.http ? [NotificationsController] : [],
      providers: [AcceptNotifications, GetNotification],
      exports: [AcceptNotifications, GetNotification],
    };
  }
}
