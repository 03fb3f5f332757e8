import type { NotificationContent } from '../../domain/notification/notification-request';
import { FieldCipher } from '../crypto/field-cipher';

/**
 * How a notification's content as sent is kept in `notifications.sent_content`: its JSON, sealed whole under the
 * active data key (stored as it is without one), bound to the notification's id so that a value copied onto
 * another notification does not open.
 */
export class SentContentCodec {
  constructor(private readonly cipher: FieldCipher) {}

  seal(notificationId: string, content: NotificationContent): string {
    return this.cipher.seal(JSON.stringify(content), context(notificationId));
  }

  open(notificationId: string, stored: string): NotificationContent {
    return JSON.parse(this.cipher.open(stored, context(notificationId))) as NotificationContent;
  }

  /** The stored value sealed under the active key (plaintext, or an older key, opened first). */
  reseal(notificationId: string, stored: string): string {
    return this.cipher.seal(this.cipher.open(stored, context(notificationId)), context(notificationId));
  }

  isStale(stored: string): boolean {
    return this.cipher.isStale(stored);
  }
}

const context = (notificationId: string) => `notification:${notificationId}`;
