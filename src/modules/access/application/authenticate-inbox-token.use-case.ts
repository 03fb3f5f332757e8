import { Injectable } from '@nestjs/common';
import { INBOX_TOKEN_CLOCK_SKEW_SECONDS, verifyInboxToken } from '../../../domain/access/inbox-token';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

export type InboxTokenAuthentication =
  /** `acceptedUntil`: the expiry plus the clock skew allowed, when the token stops being accepted. */
  | { kind: 'authenticated'; userId: string; expiresAt: Date; acceptedUntil: Date }
  | { kind: 'rejected' }
  | { kind: 'expired' }
  /** INBOX_TOKEN_SECRET is not set. */
  | { kind: 'disabled' };

/** Checks a user token: its signature (in constant time), its scope, its expiry and its lifetime. No database look-up. */
@Injectable()
export class AuthenticateInboxToken {
  constructor(private readonly config: HeraldConfig) {}

  execute(token: string, now: Date = new Date()): InboxTokenAuthentication {
    const secret = this.config.inboxAccess.tokenSecret;
    if (!secret) return { kind: 'disabled' };
    const check = verifyInboxToken(token, secret, now);
    if (check.valid) {
      return { kind: 'authenticated', userId: check.userId, expiresAt: check.expiresAt, acceptedUntil: new Date(check.expiresAt.getTime() + INBOX_TOKEN_CLOCK_SKEW_SECONDS * 1000) };
    }
    return check.problem === 'expired' ? { kind: 'expired' } : { kind: 'rejected' };
  }
}
