import { createServer, type AddressInfo, type Server } from 'node:net';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';

/** A TCP listener on the loopback address that counts connections, whatever protocol they would speak. */
async function listener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, connections: () => count, close: () => new Promise((r) => server.close(() => r())) };
}

describe('customer-given URLs and stored secrets, with production outbound settings', () => {
  let herald: Herald;
  let local: Awaited<ReturnType<typeof listener>>;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
  const slackUrl = 'https://hooks.slack.com/services/T0001/B0001/s3cr3tWebhookPart';
  const hookUrl = 'https://hooks.customer.test/herald/abcd-secret-path-9Z8Y';

  beforeAll(async () => {
    local = await listener();
    herald = await startHerald({
      OUTBOUND_ALLOW_HTTP: 'false',
      OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'false',
      SLACK_WEBHOOK_HOSTS: '',
      CHAT_PROVIDERS: 'slack,webhook',
      CHAT_WEBHOOK_SECRET: 'whsec_e2e_0123456789abcdef',
    });
  });
  afterAll(async () => {
    await herald.stop();
    await local.close();
  });

  const profile = {
    email: 'grace@example.com',
    deviceTokens: [
      { token: 'fcm-registration-token-0001', platform: 'fcm' },
      { token: 'https://push.example.test/wpush/v2/endpoint-secret-7777', platform: 'webpush', keys: { p256dh: 'p256dh-key', auth: 'auth-secret' } },
    ],
    chatDestinations: [
      { type: 'slack', url: slackUrl, enabled: true },
      { type: 'webhook', url: hookUrl, enabled: false },
    ],
  };

  it('reads mask chat URLs and device tokens (origin and last 4 characters) and never show web push keys', async () => {
    const put = await herald.http.put('/v1/recipients/u-mask').set(auth).send(profile).expect(200);
    const got = await herald.http.get('/v1/recipients/u-mask').set(auth).expect(200);
    for (const body of [put.body, got.body]) {
      expect(body.deviceTokens).toEqual([
        { token: '…0001', platform: 'fcm' },
        { token: 'https://push.example.test/…7777', platform: 'webpush' },
      ]);
      expect(body.chatDestinations).toEqual([
        { type: 'slack', url: 'https://hooks.slack.com/…Part', enabled: true },
        { type: 'webhook', url: 'https://hooks.customer.test/…9Z8Y', enabled: false },
      ]);
      expect(JSON.stringify(body)).not.toMatch(/s3cr3t|endpoint-secret|auth-secret|registration-token/);
    }
  });

  it('a read-modify-write that sends the masked values back keeps the stored secrets', async () => {
    await herald.http.put('/v1/recipients/u-rmw').set(auth).send(profile).expect(200);
    const got = await herald.http.get('/v1/recipients/u-rmw').set(auth).expect(200);
    const edited = { ...got.body, chatDestinations: got.body.chatDestinations.map((d: { enabled: boolean }) => ({ ...d, enabled: true })) };
    delete edited.userId;
    delete edited.createdAt;
    delete edited.updatedAt;
    await herald.http.put('/v1/recipients/u-rmw').set(auth).send(edited).expect(200);
    const { rows } = await herald.db.query(`SELECT device_tokens, chat_destinations FROM recipients WHERE user_id = 'u-rmw'`);
    expect(rows[0].chat_destinations).toEqual([
      { type: 'slack', url: slackUrl, enabled: true },
      { type: 'webhook', url: hookUrl, enabled: true },
    ]);
    expect(rows[0].device_tokens).toEqual(profile.deviceTokens);
  });

  it('a masked value that matches no stored secret is refused, and changes nothing', async () => {
    await herald.http.put('/v1/recipients/u-guess').set(auth).send(profile).expect(200);
    const res = await herald.http
      .put('/v1/recipients/u-guess')
      .set(auth)
      .send({ ...profile, chatDestinations: [{ type: 'slack', url: 'https://hooks.slack.com/…Nope', enabled: true }] })
      .expect(400);
    expect(res.body.error.details).toEqual([{ field: 'chatDestinations[0].url', reason: expect.stringContaining('masked value') }]);
    const { rows } = await herald.db.query(`SELECT chat_destinations FROM recipients WHERE user_id = 'u-guess'`);
    expect(rows[0].chat_destinations[0].url).toBe(slackUrl);
  });

  it('notification reads mask the recipient\'s tokens and URLs too', async () => {
    // Scheduled a day ahead: the test must not send anything to Slack's real host.
    const sendAt = new Date(Date.now() + 24 * 3_600_000).toISOString();
    const res = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { deviceTokens: [profile.deviceTokens[0]], chatDestinations: [profile.chatDestinations[0]] }, channels: ['chat'], content: { chat: { text: 'hi' } }, sendAt })
      .expect(202);
    const view = await herald.http.get(`/v1/notifications/${res.body.notifications[0].id}`).set(auth).expect(200);
    expect(view.body.recipient).toMatchObject({ deviceTokens: [{ token: '…0001', platform: 'fcm' }], chatDestinations: [{ url: 'https://hooks.slack.com/…Part' }] });
    expect(view.body.status).toBe('scheduled');
    expect(JSON.stringify(view.body)).not.toMatch(/s3cr3t|registration-token/);
  });

  it('the OpenAPI document marks tokens, chat URLs and web push keys write-only', async () => {
    const doc = await herald.http.get('/docs-json').expect(200);
    const schemas = doc.body.components.schemas;
    expect(schemas.ChatDestinationDto.properties.url.writeOnly).toBe(true);
    expect(schemas.DeviceTokenDto.properties.token.writeOnly).toBe(true);
    expect(schemas.DeviceTokenDto.properties.keys.writeOnly).toBe(true);
    expect(schemas.WebPushKeysDto.properties.auth.writeOnly).toBe(true);
    const response = schemas.RecipientResponseDto.properties;
    expect(response.chatDestinations.items.$ref).toBe('#/components/schemas/MaskedChatDestinationDto');
    expect(response.deviceTokens.items.$ref).toBe('#/components/schemas/MaskedDeviceTokenDto');
  });

  it.each([
    ['http', (port: number) => `http://hooks.customer.test:${port}/x`, 'webhook'],
    ['loopback', (port: number) => `https://127.0.0.1:${port}/x`, 'webhook'],
    ['localhost', (port: number) => `https://localhost:${port}/x`, 'webhook'],
    ['hex loopback', (port: number) => `https://0x7f000001:${port}/x`, 'webhook'],
    ['metadata', () => 'https://169.254.169.254/latest/meta-data/', 'webhook'],
    ['IPv6 metadata', () => 'https://[fd00:ec2::254]/latest/meta-data/', 'webhook'],
    ['private', () => 'https://10.0.0.7/x', 'webhook'],
    ['non-Slack host for slack', () => 'https://slack.customer.test/services/T/B/X', 'slack'],
  ])('refuses a %s destination with 400 when it is stored or sent', async (_name, url, type) => {
    const destination = { type, url: url(local.port), enabled: true };
    const put = await herald.http.put('/v1/recipients/u-ssrf').set(auth).send({ chatDestinations: [destination] }).expect(400);
    expect(put.body.error).toMatchObject({ code: 'validation_failed', details: [{ field: 'chatDestinations[0].url', reason: expect.any(String) }] });
    const post = await herald.http.post('/v1/notifications').set(auth).send({ recipient: { chatDestinations: [destination] }, channels: ['chat'], content: { chat: { text: 'x' } } }).expect(400);
    expect(post.body.error.details).toEqual([{ field: 'recipient.chatDestinations[0].url', reason: expect.any(String) }]);
    expect(local.connections()).toBe(0);
  });

  it('a destination already stored (before these checks) that points at the loopback listener is refused by the worker and never contacted', async () => {
    await herald.db.query(
      `INSERT INTO recipients (user_id, device_tokens, chat_destinations, attributes) VALUES ('u-old', '[]', $1::jsonb, '{}')`,
      [JSON.stringify([
        { type: 'webhook', url: `https://127.0.0.1:${local.port}/hook`, enabled: true },
        { type: 'webhook', url: `https://localhost.:${local.port}/hook`, enabled: true },
      ])],
    );
    const res = await herald.http.post('/v1/notifications').set(auth).send({ recipient: { userId: 'u-old' }, channels: ['chat'], content: { chat: { text: 'x' } } }).expect(202);
    const id = res.body.notifications[0].id;
    const view = await eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200);
      return r.body.status === 'failed' ? r.body : undefined;
    }, 30_000, 'the notification failed');
    expect(view.attempts[0].destinations.map((d: { errorCode: string }) => d.errorCode)).toEqual(['destination_address_refused', 'destination_address_refused']);
    expect(local.connections()).toBe(0);
  });
});
