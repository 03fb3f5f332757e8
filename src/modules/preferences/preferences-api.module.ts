import { Module } from '@nestjs/common';
import { CategoriesController } from './api/categories.controller';
import { PreferencePageController } from './api/preference-page.controller';
import { RecipientPreferencesController } from './api/recipient-preferences.controller';
import { SmsInboundController } from './api/sms-inbound.controller';
import { UnsubscribeController } from './api/unsubscribe.controller';
import { PreferencesModule } from './preferences.module';

/** The HTTP side of preferences (api role): the API, the signed-link pages and the SMS webhook. */
@Module({
  imports: [PreferencesModule],
  controllers: [CategoriesController, RecipientPreferencesController, UnsubscribeController, PreferencePageController, SmsInboundController],
})
export class PreferencesApiModule {}
