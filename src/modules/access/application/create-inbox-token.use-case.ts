import { Injectable } from '@nestjs/common';
import { INBOX_TOKEN_DEFAULT_LIFETIME_SECONDS, INBOX_TOKEN_MAX_LIFETIME_SECONDS, signInboxToken } from '../../../domain/access/inbox-token';
import { InboxTokensDisabledError, ValidationFailedError } from '../../../domain/errors/domain-errors';
import { PRINTABLE_ID_PATTERN } from '../../../domain/notification/patterns';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

/** Mints a user token for one user's inbox, for your server to hand to that user's browser. */
@Injectable()
export class CreateInboxToken {
  constructor(private readonly config: HeraldConfig) {}

  execute(input: { userId: string; expiresInSeconds?: number; now?: Date }): { token: string; expiresAt: Date } {
    const secret = this.config.inboxAccess.tokenSecret;
    if (!secret) throw new InboxTokensDisabledError();
    const lifetime = input.expiresInSeconds ?? INBOX_TOKEN_DEFAULT_LIFETIME_SECONDS;
    const issues = [];
    if (!PRINTABLE_ID_PATTERN.test(input.userId)) issues.push({ field: 'userId', reason: 'must be 1-200 printable ASCII characters without spaces' });
    if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > INBOX_TOKEN_MAX_LIFETIME_SECONDS) {
      issues.push({ field: 'expiresInSeconds', reason: `must be a whole number of seconds from 1 to ${INBOX_TOKEN_MAX_LIFETIME_SECONDS}` });
    }
    if (issues.length) throw new ValidationFailedError(issues);
    const expiresAt = new Date((Math.floor((input.now ?? new Date()).getTime() / 1000) + lifetime) * 1000);
    return { token: signInboxToken({ secret, userId: input.userId, expiresAt }), expiresAt };
  }
}
