import type { ChatDestination, DeviceToken } from '../../domain/recipient/recipient-profile';
import { FieldCipher } from '../crypto/field-cipher';

type Secrets = { deviceTokens: DeviceToken[]; chatDestinations: ChatDestination[] };

/**
 * Which parts of a recipient profile are sealed at rest: chat webhook URLs, device tokens (and web push
 * endpoints, which are stored as tokens) and the web push `auth` secret. Types, platforms, `enabled` and the
 * public `p256dh` key stay readable. Each value is bound to its recipient's id.
 */
export class RecipientSecretsCodec {
  constructor(private readonly cipher: FieldCipher) {}

  seal(userId: string, plain: Secrets): Secrets {
    return this.map(userId, plain, (v, ctx) => this.cipher.seal(v, ctx));
  }

  open(userId: string, stored: Secrets): Secrets {
    return this.map(userId, stored, (v, ctx) => this.cipher.open(v, ctx));
  }

  /** The stored device token opened, or null when it cannot be (it then matches nothing). */
  openToken(userId: string, stored: string): string | null {
    try {
      return this.cipher.open(stored, context(userId));
    } catch {
      return null;
    }
  }

  /** True when some value is plaintext or sealed under a key other than the active one. */
  isStale(stored: Secrets): boolean {
    let stale = false;
    this.map('', stored, (v) => {
      stale ||= this.cipher.isStale(v);
      return v;
    });
    return stale;
  }

  private map(userId: string, s: Secrets, f: (value: string, ctx: string) => string): Secrets {
    const ctx = context(userId);
    return {
      deviceTokens: s.deviceTokens.map((t) => ({ ...t, token: f(t.token, ctx), ...(t.keys ? { keys: { ...t.keys, auth: f(t.keys.auth, ctx) } } : {}) })),
      chatDestinations: s.chatDestinations.map((d) => ({ ...d, url: f(d.url, ctx) })),
    };
  }
}

const context = (userId: string) => `recipient:${userId}`;
