import { InvalidWebhookSignatureError, WebhookNotConfiguredError } from '../../../domain/errors/domain-errors';
import { HeraldConfig } from '../../config/herald-config';
import { twilioSignature } from './twilio-signature';
import { TwilioDeliveryEvents } from './twilio.delivery-events';

const config = (twilioAuthToken: string | null) => Object.assign(new HeraldConfig(), { webhooks: { twilioAuthToken }, http: { publicUrl: 'https://herald.example.com/' } }) as HeraldConfig;
const params = { MessageSid: 'SM1', MessageStatus: 'delivered', To: '+15005550006' };
const post = (signature: string | undefined) => ({ path: '/v1/webhooks/twilio?account=main', headers: { 'x-twilio-signature': signature }, rawBody: undefined, body: params });

describe('Twilio delivery events', () => {
  const received = new Date('2026-01-01T00:00:00Z');

  it('verifies the signature over PUBLIC_URL and the requested path, then reads the status', async () => {
    const source = new TwilioDeliveryEvents(config('token'));
    const signature = twilioSignature('token', 'https://herald.example.com/v1/webhooks/twilio?account=main', params);
    const reading = await source.read(post(signature), received);
    expect(reading).toEqual({ kind: 'events', events: [expect.objectContaining({ provider: 'twilio', eventId: 'SM1:delivered', type: 'delivered', occurredAt: received })] });
  });

  it('reads the notification id from the signed status callback URL Herald gave Twilio', async () => {
    const source = new TwilioDeliveryEvents(config('token'));
    const path = '/v1/webhooks/twilio?notificationId=0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';
    const signature = twilioSignature('token', `https://herald.example.com${path}`, params);
    const reading = await source.read({ path, headers: { 'x-twilio-signature': signature }, rawBody: undefined, body: params }, received);
    expect(reading).toEqual({ kind: 'events', events: [expect.objectContaining({ notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', providerMessageId: 'SM1' })] });
  });

  it('refuses a signature over another URL, a missing one, and answers not configured without a token', async () => {
    const source = new TwilioDeliveryEvents(config('token'));
    const elsewhere = twilioSignature('token', 'https://herald.example.com/v1/webhooks/twilio', params);
    await expect(source.read(post(elsewhere), received)).rejects.toBeInstanceOf(InvalidWebhookSignatureError);
    await expect(source.read(post(undefined), received)).rejects.toBeInstanceOf(InvalidWebhookSignatureError);
    await expect(new TwilioDeliveryEvents(config(null)).read(post(elsewhere), received)).rejects.toBeInstanceOf(WebhookNotConfiguredError);
  });
});
