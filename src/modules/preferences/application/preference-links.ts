import { Injectable } from '@nestjs/common';
import { signLink, verifyLink, type LinkCheck, type LinkClaim } from '../../../domain/preferences/signed-link';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

/** Signed, expiring links that work without logging in: unsubscribe and the hosted preference page. */
@Injectable()
export class PreferenceLinks {
  constructor(private readonly config: HeraldConfig) {}

  unsubscribeUrl(claim: Extract<LinkClaim, { purpose: 'unsubscribe' }>, now = new Date()): string {
    const token = signLink(claim, this.config.links.secret, new Date(now.getTime() + this.config.links.unsubscribeTtlMs));
    return `${this.base()}/v1/unsubscribe?token=${token}`;
  }

  preferencePageUrl(userId: string, now = new Date()): { url: string; expiresAt: Date } {
    const expiresAt = new Date(now.getTime() + this.config.links.preferencePageTtlMs);
    const token = signLink({ purpose: 'preferences', userId }, this.config.links.secret, expiresAt);
    return { url: `${this.base()}/v1/preference-page?token=${token}`, expiresAt };
  }

  verify(token: string | undefined, now = new Date()): LinkCheck {
    if (!token) return { valid: false, problem: 'tampered' };
    return verifyLink(token, this.config.links.secret, now);
  }

  private base(): string {
    return this.config.http.publicUrl.replace(/\/+$/, '');
  }
}
