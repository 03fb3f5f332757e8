import { Inject, Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { SmsContent } from '../../../domain/notification/notification-request';
import { ChannelSender, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { SMS_PROVIDERS, type SmsProvider } from '../../../domain/ports/sms-provider.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { ProviderRouter } from '../routing/provider-router';

/** SMS through SMS_PROVIDERS in order. Numbers are normalised to E.164 (profiles may hold national formats). */
@Injectable()
export class SmsChannelSender extends ChannelSender {
  readonly channel = 'sms' as const;

  constructor(
    @Inject(SMS_PROVIDERS) private readonly providers: SmsProvider[],
    private readonly router: ProviderRouter,
    private readonly config: HeraldConfig,
  ) {
    super();
  }

  get resendable(): boolean {
    return this.providers.length > 0 && this.providers.every((p) => p.idempotent);
  }

  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    const content = notification.content as SmsContent | null;
    const phone = notification.recipient.phone;
    if (!phone || !content) return { provider: null, result: { outcome: 'permanent', code: 'missing_address_or_content', message: 'no phone number or sms content' } };
    const parsed = parsePhoneNumberFromString(phone, this.config.channels.sms.defaultRegion as CountryCode);
    if (!parsed?.isValid()) return { provider: null, result: { outcome: 'permanent', code: 'invalid_phone_number', message: 'the phone number is not a valid number' } };
    const sms = { notificationId: notification.id, to: parsed.number, text: content.text };
    const { provider, result } = await this.router.route(this.channel, this.providers, (p) => p.send(sms));
    return { provider, result, sent: { sms: { text: content.text } } };
  }
}
