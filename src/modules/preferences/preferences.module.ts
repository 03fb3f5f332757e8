import { Module } from '@nestjs/common';
import { RecipientsPersistenceModule } from '../../infrastructure/typeorm/recipients-persistence.module';
import { DeliveryTrackingModule } from '../delivery-tracking/delivery-tracking.module';
import { ApplyUnsubscribeLink } from './application/apply-unsubscribe-link.use-case';
import { CategoryCatalog } from './application/category-catalog';
import { CreatePreferenceLink } from './application/create-preference-link.use-case';
import { DeclareCategory } from './application/declare-category.use-case';
import { GetPreferences } from './application/get-preferences.use-case';
import { HandleSmsReply } from './application/handle-sms-reply.use-case';
import { ListCategories } from './application/list-categories.use-case';
import { PreferenceDispatchGate } from './application/preference.dispatch-gate';
import { PreferenceLinks } from './application/preference-links';
import { PreferencePage } from './application/preference-page.use-case';
import { ResolveChannels } from './application/resolve-channels';
import { UnsubscribeFooter } from './application/unsubscribe-footer';
import { UpdatePreferences } from './application/update-preferences.use-case';
import { UpdateOwnPreferences } from './application/update-own-preferences.use-case';

const PROVIDERS = [
  ApplyUnsubscribeLink,
  CategoryCatalog,
  CreatePreferenceLink,
  DeclareCategory,
  GetPreferences,
  HandleSmsReply,
  ListCategories,
  PreferenceDispatchGate,
  PreferenceLinks,
  PreferencePage,
  ResolveChannels,
  UnsubscribeFooter,
  UpdatePreferences,
  UpdateOwnPreferences,
];

/** Categories, user preferences, opt-outs and signed links (an unsubscribe link also marks its notification, through delivery tracking); the dispatch gate and channel resolution for the other modules. */
@Module({ imports: [RecipientsPersistenceModule, DeliveryTrackingModule], providers: PROVIDERS, exports: PROVIDERS })
export class PreferencesModule {}
