import { VonageSmsAdapter } from '../../../src/infrastructure/providers/vonage/vonage.adapter';
import { startVonagePeer, vonageRefusal, type VonagePeer } from '../../support/peers/vonage-peer';
import { providerConfig } from '../../support/provider-config';

describe('Vonage SMS adapter against a Vonage SMS API peer', () => {
  let peer: VonagePeer;
  let adapter: VonageSmsAdapter;
  const sms = { notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', to: '+447700900001', text: 'Your code is 123456' };
  const settings = (baseUrl: string, secret = 'api-secret') =>
    providerConfig({ SMS_PROVIDERS: 'vonage', VONAGE_BASE_URL: baseUrl, VONAGE_API_KEY: 'api-key', VONAGE_API_SECRET: secret, VONAGE_FROM: 'Herald', PROVIDER_REQUEST_TIMEOUT: '1s' });

  beforeAll(async () => {
    peer = await startVonagePeer('api-key', 'api-secret');
    adapter = new VonageSmsAdapter(settings(peer.url));
  });
  afterAll(() => peer.close());
  beforeEach(() => {
    peer.received.length = 0;
    peer.messages.length = 0;
  });

  it('posts the documented form to /sms/json and reports the message id', async () => {
    const result = await adapter.send(sms);
    expect(result).toEqual({ outcome: 'sent', providerMessageId: peer.messages[0].messageId });
    const req = peer.received[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/sms/json');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.text))).toEqual({
      api_key: 'api-key',
      api_secret: 'api-secret',
      from: 'Herald',
      to: '447700900001',
      text: 'Your code is 123456',
      type: 'text',
      'client-ref': sms.notificationId,
      'status-report-req': '1',
      callback: 'https://herald.test/v1/webhooks/vonage',
    });
  });

  it('sends text outside the GSM alphabet as unicode', async () => {
    await adapter.send({ ...sms, text: 'Ваш код 123456 ✅' });
    expect(peer.messages[0].params.type).toBe('unicode');
  });

  it('bad credentials (status 4) are transient: the setup is wrong, not the message', async () => {
    expect(await new VonageSmsAdapter(settings(peer.url, 'wrong')).send(sms)).toEqual({ outcome: 'transient', code: 'vonage_4', message: 'Bad Credentials', retryAfterMs: undefined });
  });

  describe('with the status codes of the SMS API (HTTP 200 each time)', () => {
    const respond = (answer: ReturnType<typeof vonageRefusal>) => {
      const original = peer.respond;
      peer.respond = () => answer;
      return () => (peer.respond = original);
    };

    it.each([
      ['1', 'Throttled', 'transient'],
      ['5', 'Internal Error', 'transient'],
      ['9', 'Partner quota exceeded', 'transient'],
      ['2', 'Missing to param', 'permanent'],
      ['3', 'Invalid to param', 'permanent'],
      ['6', 'Unroutable message - rejected', 'permanent'],
      ['7', 'Number barred', 'permanent'],
      ['99', 'Something new', 'permanent'],
    ])('status %s (%s) is %s', async (status, text, outcome) => {
      const restore = respond(vonageRefusal(status, text));
      try {
        expect(await adapter.send(sms)).toMatchObject({ outcome, code: `vonage_${status}`, message: text });
      } finally {
        restore();
      }
    });

    it('a long text with some parts refused is unknown (resending would repeat the parts that went out)', async () => {
      const restore = respond({ status: 200, body: { 'message-count': '2', messages: [{ status: '0', 'message-id': 'A1' }, { status: '1', 'error-text': 'Throttled' }] } });
      try {
        expect(await adapter.send(sms)).toMatchObject({ outcome: 'unknown', code: 'vonage_partial_1' });
      } finally {
        restore();
      }
    });

    it('an HTTP 5xx is transient; a 200 that cannot be read is unknown', async () => {
      let restore = respond({ status: 503, body: 'unavailable' });
      try {
        expect(await adapter.send(sms)).toMatchObject({ outcome: 'transient', code: 'vonage_http_503' });
      } finally {
        restore();
      }
      restore = respond({ status: 200, body: '<html>' });
      try {
        expect(await adapter.send(sms)).toMatchObject({ outcome: 'unknown', code: 'vonage_unreadable_answer' });
      } finally {
        restore();
      }
    });
  });

  it('no answer within the time limit is unknown; a refused connection is transient', async () => {
    peer.stall();
    try {
      expect(await adapter.send(sms)).toMatchObject({ outcome: 'unknown', code: 'vonage_timeout' });
    } finally {
      peer.resume();
    }
    const gone = await startVonagePeer('api-key', 'api-secret');
    const goneUrl = gone.url;
    await gone.close();
    expect(await new VonageSmsAdapter(settings(goneUrl)).send(sms)).toMatchObject({ outcome: 'transient', code: 'vonage_unreachable' });
  });
});
