import { Module } from '@nestjs/common';
import { EMAIL_PROVIDERS, EmailProvider } from '../../domain/ports/email-provider.port';
import { configuredSenders, sendersOf } from './provider-registry';

/** Email provider binding: the providers of EMAIL_PROVIDERS in order, and EmailProvider as the first of them. */
@Module({
  providers: [
    ...sendersOf(EmailProvider).map((s) => s.sender),
    configuredSenders(EMAIL_PROVIDERS, EmailProvider, (c) => c.channels.emailProviders),
    { provide: EmailProvider, inject: [EMAIL_PROVIDERS], useFactory: (providers: EmailProvider[]) => providers[0] ?? null },
  ],
  exports: [EMAIL_PROVIDERS, EmailProvider],
})
export class EmailProvidersModule {}
