import { Module } from '@nestjs/common';
import { EMAIL_PROVIDERS, EmailProvider } from '../../../domain/ports/email-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { SesEmailAdapter } from './ses.adapter';
import { SmtpEmailAdapter } from './smtp.adapter';

/** Email provider binding: the providers of EMAIL_PROVIDERS in order, and EmailProvider as the first of them. */
@Module({
  providers: [
    SmtpEmailAdapter,
    SesEmailAdapter,
    {
      provide: EMAIL_PROVIDERS,
      inject: [HeraldConfig, SmtpEmailAdapter, SesEmailAdapter],
      useFactory: (config: HeraldConfig, smtp: SmtpEmailAdapter, ses: SesEmailAdapter): EmailProvider[] => {
        const byName: Record<string, EmailProvider> = { smtp, ses };
        return config.channels.emailProviders.map((name) => byName[name]);
      },
    },
    { provide: EmailProvider, inject: [EMAIL_PROVIDERS], useFactory: (providers: EmailProvider[]) => providers[0] ?? null },
  ],
  exports: [EMAIL_PROVIDERS, EmailProvider],
})
export class EmailProvidersModule {}
