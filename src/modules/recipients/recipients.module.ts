import { Module } from '@nestjs/common';
import { RecipientsPersistenceModule } from '../../infrastructure/typeorm/recipients-persistence.module';
import { GetRecipient } from './application/get-recipient.use-case';
import { SaveRecipient } from './application/save-recipient.use-case';

/** Recipient profiles, so that notifications may name a user instead of addresses. */
@Module({ imports: [RecipientsPersistenceModule], providers: [SaveRecipient, GetRecipient], exports: [SaveRecipient, GetRecipient] })
export class RecipientsModule {}
