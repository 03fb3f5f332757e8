import { InvalidWebhookSignatureError, ValidationFailedError, WebhookNotConfiguredError } from '../../../domain/errors/domain-errors';
import { HeraldConfig } from '../../config/herald-config';
import { vonageSignature } from './vonage-signature';
import { VonageDeliveryEvents } from './vonage.delivery-events';

const config = (secret: string | null) =>
  Object.assign(new HeraldConfig(), { webhooks: { vonageSignatureSecret: secret, vonageSignatureMethod: 'sha256', timestampToleranceMs: 300_000 } }) as HeraldConfig;
const post = (body: unknown) => ({ path: '/v1/webhooks/vonage', headers: {}, rawBody: undefined, body });
const signed = (params: Record<string, string>, secret = 'sig-secret') => ({ ...params, sig: vonageSignature(secret, 'sha256', params) });
const receipt = (extra: Record<string, string> = {}) => ({
  msisdn: '447700900000',
  messageId: '0A00000001',
  status: 'delivered',
  'err-code': '0',
  'client-ref': 'n-1',
  timestamp: String(Math.floor(Date.now() / 1000)),
  nonce: 'abc',
  ...extra,
});

describe('Vonage delivery events', () => {
  const received = new Date();
  const source = new VonageDeliveryEvents(config('sig-secret'));

  it('verifies the signature, then reads the receipt (form fields or JSON values)', async () => {
    expect(await source.read(post(signed(receipt())), received)).toEqual({ kind: 'events', events: [expect.objectContaining({ provider: 'vonage', type: 'delivered', notificationId: 'n-1' })] });
    // JSON may carry a number where the form carried its digits: Vonage signed the digits.
    const json = { ...signed(receipt()), timestamp: Number(receipt().timestamp) };
    expect((await source.read(post(json), received)).kind).toBe('events');
  });

  it('refuses a changed receipt, one signed with another secret, an unsigned one, and a stale timestamp', async () => {
    await expect(source.read(post({ ...signed(receipt()), status: 'failed' }), received)).rejects.toBeInstanceOf(InvalidWebhookSignatureError);
    await expect(source.read(post(signed(receipt(), 'other')), received)).rejects.toBeInstanceOf(InvalidWebhookSignatureError);
    await expect(source.read(post(receipt()), received)).rejects.toBeInstanceOf(InvalidWebhookSignatureError);
    const stale = signed(receipt({ timestamp: String(Math.floor(Date.now() / 1000) - 600) }));
    await expect(source.read(post(stale), received)).rejects.toThrow('the signed timestamp is not within 300 s of now');
  });

  it('answers not configured without a secret, and refuses a body that is not a receipt', async () => {
    await expect(new VonageDeliveryEvents(config(null)).read(post(signed(receipt())), received)).rejects.toBeInstanceOf(WebhookNotConfiguredError);
    await expect(source.read(post([1, 2]), received)).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(source.read(post({ ...signed(receipt()), status: ['a', 'b'] }), received)).rejects.toBeInstanceOf(ValidationFailedError);
    const { messageId: _, ...noId } = receipt();
    await expect(source.read(post(signed(noId)), received)).rejects.toBeInstanceOf(ValidationFailedError);
  });
});
