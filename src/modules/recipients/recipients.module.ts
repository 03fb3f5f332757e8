import { Module, type DynamicModule } from '@nestjs/common';
import { RecipientsController } from './api/recipients.controller';
import { GetRecipient } from './application/get-recipient.use-case';
import { SaveRecipient } from './application/save-recipient.use-case';

/** Recipient profiles, so that notifications may name a user instead of addresses. */
@Module({})
export class RecipientsModule {
  static register(options: { http: boolean }): DynamicModule {
    return {
      module: RecipientsModule,
      controllers: options.http ? [RecipientsController] : [],
      providers: [SaveRecipient, GetRecipient],
      exports: [SaveRecipient, GetRecipient],
    };
  }
}
