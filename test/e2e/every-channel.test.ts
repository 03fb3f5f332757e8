import { createHash } from 'node:crypto';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { signatureIsValid, startSlackPeer, startWebhookReceiver } from '../support/peers/chat-peers';
import { browserSubscription, startPushService, vapidKeys } from '../support/peers/web-push-peer';
import type { HttpPeer } from '../support/peers/http-peer';
import { snsError, startSnsPeer } from '../support/peers/sns-peer';
import { startTwilioPeer, twilioError } from '../support/peers/twilio-peer';

describe('every channel through its real adapter to its peer', () => {
  let herald: Herald;
  let twilio: HttpPeer;
  let sns: HttpPeer;
  let pushService: HttpPeer;
  let slack: HttpPeer;
  let receiver: HttpPeer;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
  const sid = 'AC00000000000000000000000000000003';
  const webhookSecret = 'whsec_e2e_0123456789abcdef';

  beforeAll(async () => {
    [twilio, sns, pushService, slack, receiver] = await Promise.all([startTwilioPeer(sid), startSnsPeer(), startPushService(), startSlackPeer(), startWebhookReceiver()]);
    const vapid = vapidKeys();
    herald = await startHerald({
      SMS_PROVIDERS: 'twilio,sns',
      TWILIO_BASE_URL: twilio.url,
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN: 'twilio-secret',
      TWILIO_FROM: '+14155550199',
      SNS_ENDPOINT: sns.url,
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@herald.test',
      CHAT_PROVIDERS: 'slack,webhook',
      CHAT_WEBHOOK_SECRET: webhookSecret,
    });
  });
  afterAll(async () => {
    await herald.stop();
    await Promise.all([twilio, sns, pushService, slack, receiver].map((p) => p.close()));
  });

  async function settled(id: string): Promise<Record<string, any>> {
    return eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200);
      return ['sent', 'failed', 'unknown'].includes(r.body.status) ? r.body : undefined;
    }, 30_000, `notification ${id} settled`);
  }

  async function post(body: object): Promise<string[]> {
    const res = await herald.http.post('/v1/notifications').set(auth).send(body).expect(202);
    return res.body.notifications.map((n: { id: string }) => n.id);
  }

  it('SMS goes to Twilio; a 503 from Twilio fails over to SNS; an invalid number (21211) does not fail over', async () => {
    const [first] = await post({ recipient: { phone: '+14155550100' }, channels: ['sms'], content: { sms: { text: 'Code 1' } } });
    expect(await settled(first)).toMatchObject({ status: 'sent', provider: 'twilio' });
    expect(new URLSearchParams(twilio.received[0].text).get('To')).toBe('+14155550100');

    twilio.respond = () => twilioError(503, 20500, 'Service unavailable');
    const [second] = await post({ recipient: { phone: '+14155550101' }, channels: ['sms'], content: { sms: { text: 'Code 2' } } });
    expect(await settled(second)).toMatchObject({ status: 'sent', provider: 'sns', attempts: [expect.objectContaining({ provider: 'sns', outcome: 'sent' })] });
    expect(new URLSearchParams(sns.received[0].text).get('PhoneNumber')).toBe('+14155550101');

    twilio.respond = () => twilioError(400, 21211, "The 'To' number is not a valid phone number.");
    sns.respond = () => snsError(500, 'InternalError', 'should not be called');
    const snsCalls = sns.received.length;
    const [third] = await post({ recipient: { phone: '+14155550102' }, channels: ['sms'], content: { sms: { text: 'Code 3' } } });
    expect(await settled(third)).toMatchObject({ status: 'failed', attempts: [expect.objectContaining({ provider: 'twilio', errorCode: 'twilio_21211' })] });
    expect(sns.received).toHaveLength(snsCalls);
  });

  it('refuses a phone number that is E.164 in shape but not a valid number', async () => {
    const res = await herald.http.post('/v1/notifications').set(auth).send({ recipient: { phone: '+10005550100' }, channels: ['sms'], content: { sms: { text: 'x' } } }).expect(400);
    expect(res.body.error.details).toEqual([{ field: 'recipient.phone', reason: 'is not a valid phone number' }]);
  });

  it('an SMS to a stored national-format number is normalised to E.164', async () => {
    twilio.respond = () => ({ status: 201, body: { sid: 'SMok' } });
    await herald.db.query(`INSERT INTO recipients (user_id, phone) VALUES ('u-national', '(415) 555-0123')`);
    const [id] = await post({ recipient: { userId: 'u-national' }, channels: ['sms'], content: { sms: { text: 'Hi' } } });
    expect(await settled(id)).toMatchObject({ status: 'sent', provider: 'twilio' });
    expect(twilio.received.map((r) => new URLSearchParams(r.text).get('To'))).toContain('+14155550123');
  });

  it('web push reaches every subscription; an expired one is removed from the profile', async () => {
    const live = browserSubscription(`${pushService.url}/push/live`);
    const gone = browserSubscription(`${pushService.url}/push/gone`);
    pushService.respond = (req) => (req.url === '/push/gone' ? { status: 410, body: 'expired' } : { status: 201, headers: { location: '/m/1' } });
    await herald.db.query(`INSERT INTO recipients (user_id, device_tokens) VALUES ('u-web', $1::jsonb)`, [
      JSON.stringify([live, gone].map((s) => ({ token: s.endpoint, platform: 'webpush', keys: s.keys }))),
    ]);
    const [id] = await post({ recipient: { userId: 'u-web' }, channels: ['webpush'], content: { webpush: { title: 'Hello', body: 'World' } } });
    const view = await settled(id);
    expect(view).toMatchObject({ status: 'sent', statusReason: null });
    expect(pushService.received.map((r) => r.url).sort()).toEqual(['/push/gone', '/push/live']);
    expect(pushService.received[0].headers.authorization).toMatch(/^vapid t=/);
    const { rows } = await herald.db.query(`SELECT device_tokens FROM recipients WHERE user_id = 'u-web'`);
    expect(rows[0].device_tokens.map((t: { token: string }) => t.token)).toEqual([live.endpoint]);
  });

  it('chat goes to every enabled destination: Slack and a signed webhook, each tracked, URLs never shown in clear', async () => {
    const slackUrl = `${slack.url}/services/T0/B0/secret-part`;
    const hookUrl = `${receiver.url}/hooks/herald`;
    const [id] = await post({
      recipient: {
        chatDestinations: [
          { type: 'slack', url: slackUrl, enabled: true },
          { type: 'webhook', url: hookUrl, enabled: true },
          { type: 'webhook', url: `${receiver.url}/hooks/disabled`, enabled: false },
        ],
      },
      channels: ['chat'],
      content: { chat: { text: 'Deploy finished' } },
    });
    const view = await settled(id);
    expect(view.status).toBe('sent');
    expect(JSON.parse(slack.received[0].text)).toMatchObject({ text: 'Deploy finished' });
    expect(receiver.received.map((r) => r.url)).toEqual(['/hooks/herald']);
    const hook = receiver.received[0];
    expect(signatureIsValid(webhookSecret, String(hook.headers['x-herald-timestamp']), hook.text, String(hook.headers['x-herald-signature']))).toBe(true);
    expect(hook.headers['idempotency-key']).toBe(id);
    const destinations = view.attempts[0].destinations as Array<{ destination: string; provider: string; outcome: string }>;
    expect(destinations.map((d) => d.provider).sort()).toEqual(['slack', 'webhook']);
    expect(destinations.every((d) => d.outcome === 'sent')).toBe(true);
    const digest = createHash('sha256').update(slackUrl).digest('hex').slice(0, 16);
    expect(destinations.map((d) => d.destination)).toContain(`slack:${digest}`);
    expect(JSON.stringify(view)).not.toContain('secret-part');
  });

  it('the OpenAPI document shows the content schema of every channel', async () => {
    const doc = (await herald.http.get('/docs-json').expect(200)).body;
    const content = doc.components.schemas.ContentDto.properties;
    expect(Object.keys(content).sort()).toEqual(['chat', 'email', 'inapp', 'push', 'sms', 'webpush']);
    for (const name of ['SmsContentDto', 'PushContentDto', 'WebPushContentDto', 'ChatContentDto', 'InAppContentDto', 'DeviceTokenDto', 'ChatDestinationDto']) {
      expect(doc.components.schemas[name]).toBeDefined();
    }
    expect(doc.paths['/v1/users/{userId}/inbox']).toBeDefined();
    expect(doc.paths['/v1/users/{userId}/inbox/stream']).toBeDefined();
  });
});
