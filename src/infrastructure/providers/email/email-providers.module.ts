import { Module } from '@nestjs/common';
import { EmailProvider } from '../../../domain/ports/email-provider.port';
import { SmtpEmailAdapter } from './smtp.adapter';

/** Email provider binding: exports the EmailProvider port. */
@Module({
  providers: [{ provide: EmailProvider, useClass: SmtpEmailAdapter }],
  exports: [EmailProvider],
})
export class EmailProvidersModule {}
