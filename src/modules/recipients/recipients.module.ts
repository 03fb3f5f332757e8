import { Module } from '@nestjs/common';
import { RecipientsPersistenceModule } from '../../infrastructure/typeorm/recipients-persistence.module';
import { GetRecipient } from './application/get-recipient.use-case';
import { SaveRecipient } from './application/save-recipient.use-case';
import { GetWebPushKey } from './application/get-web-push-key.use-case';
import { RemoveWebPushSubscription } from './application/remove-web-push-subscription.use-case';
import { SaveWebPushSubscription } from './application/save-web-push-subscription.use-case';

const USE_CASES = [SaveRecipient, GetRecipient, GetWebPushKey, SaveWebPushSubscription, RemoveWebPushSubscription];

/** Recipient profiles, so that notifications may name a user instead of addresses. */
@Module({ imports: [RecipientsPersistenceModule], providers: USE_CASES, exports: USE_CASES })
export class RecipientsModule {}
