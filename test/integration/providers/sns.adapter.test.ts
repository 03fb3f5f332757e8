import { SnsSmsAdapter } from '../../../src/infrastructure/providers/sns/sns.adapter';
import type { HttpPeer } from '../../support/peers/http-peer';
import { snsError, startSnsPeer } from '../../support/peers/sns-peer';
import { providerConfig } from '../../support/provider-config';

describe('SNS SMS adapter against an SNS Publish peer', () => {
  let peer: HttpPeer;
  let adapter: SnsSmsAdapter;
  const sms = { notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', to: '+14155550100', text: 'Your code is 123456' };

  beforeAll(async () => {
    peer = await startSnsPeer();
    adapter = new SnsSmsAdapter(providerConfig({ SMS_PROVIDERS: 'sns', SNS_ENDPOINT: peer.url, SNS_SENDER_ID: 'Herald' }));
  });
  afterAll(async () => {
    adapter.onApplicationShutdown();
    await peer.close();
  });
  beforeEach(() => {
    peer.received.length = 0;
    peer.respond = () => ({
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: '<PublishResponse><PublishResult><MessageId>sns-message-1</MessageId></PublishResult></PublishResponse>',
    });
  });

  it('publishes to the phone number with the SMS attributes, signed with SigV4, and reports the message id', async () => {
    expect(await adapter.send(sms)).toEqual({ outcome: 'sent', providerMessageId: 'sns-message-1' });
    const req = peer.received[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/');
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/us-east-1\/sns\/aws4_request/);
    const form = new URLSearchParams(req.text);
    expect(form.get('Action')).toBe('Publish');
    expect(form.get('PhoneNumber')).toBe('+14155550100');
    expect(form.get('Message')).toBe('Your code is 123456');
    const attributes = Object.fromEntries(
      [1, 2].map((i) => [form.get(`MessageAttributes.entry.${i}.Name`), form.get(`MessageAttributes.entry.${i}.Value.StringValue`)]),
    );
    expect(attributes).toEqual({ 'AWS.SNS.SMS.SMSType': 'Transactional', 'AWS.SNS.SMS.SenderID': 'Herald' });
  });

  it('InvalidParameter is permanent', async () => {
    peer.respond = () => snsError(400, 'InvalidParameter', 'Invalid parameter: PhoneNumber');
    expect(await adapter.send(sms)).toEqual({ outcome: 'permanent', code: 'sns_InvalidParameterException', message: 'Invalid parameter: PhoneNumber' });
  });

  it.each(['Throttled', 'Throttling'])('%s is transient', async (code) => {
    peer.respond = () => snsError(400, code, 'Rate exceeded');
    expect(await adapter.send(sms)).toMatchObject({ outcome: 'transient', message: 'Rate exceeded' });
  });

  it('an internal error (500) is transient', async () => {
    peer.respond = () => snsError(500, 'InternalError', 'Internal error');
    expect(await adapter.send(sms)).toMatchObject({ outcome: 'transient' });
    expect(peer.received).toHaveLength(1);
  });
});
