import { generateKeyPairSync } from 'node:crypto';
import { RecipientDirectory } from '../../src/domain/ports/recipient-directory.port';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { ApnsPeer } from '../support/peers/apns-peer';
import { fcmError, fcmTokenOf, startFcmPeer } from '../support/peers/fcm-peer';
import type { HttpPeer } from '../support/peers/http-peer';

describe('push: one notification to every device token of a user, each tracked, dead tokens removed', () => {
  let herald: Herald;
  let fcm: HttpPeer;
  let apns: ApnsPeer;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    fcm = await startFcmPeer('herald-e2e');
    apns = await ApnsPeer.start();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    herald = await startHerald({
      PUSH_PROVIDERS: 'fcm,apns',
      FCM_BASE_URL: fcm.url,
      FCM_PROJECT_ID: 'herald-e2e',
      FCM_ACCESS_TOKEN: 'ya29.e2e',
      APNS_BASE_URL: apns.url,
      APNS_KEY_ID: 'KEY1234567',
      APNS_TEAM_ID: 'TEAM123456',
      APNS_PRIVATE_KEY: Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).toString('base64'),
      APNS_TOPIC: 'com.example.app',
    });
    fcm.respond = (req) =>
      fcmTokenOf(req.text) === 'fcm-dead'
        ? fcmError(404, 'NOT_FOUND', 'UNREGISTERED', 'Requested entity was not found.')
        : { status: 200, body: { name: 'projects/herald-e2e/messages/1' } };
  });
  afterAll(async () => {
    await herald.stop();
    await fcm.close();
    await apns.close();
  });

  async function push(userId: string, title: string): Promise<Record<string, any>> {
    const res = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { userId }, channels: ['push'], content: { push: { title, body: 'On its way' } } })
      .expect(202);
    const id = res.body.notifications[0].id;
    return eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200);
      return ['sent', 'failed', 'unknown'].includes(r.body.status) ? r.body : undefined;
    }, 30_000, `push ${id} settled`);
  }

  it('a dead FCM token is removed and never used again, while the other tokens still get the push', async () => {
    const directory = herald.app.get(RecipientDirectory);
    await directory.upsert({
      userId: 'u-push',
      email: null,
      phone: null,
      locale: null,
      timezone: null,
      deviceTokens: [
        { token: 'fcm-live', platform: 'fcm' },
        { token: 'fcm-dead', platform: 'fcm' },
        { token: 'a1b2c3d4', platform: 'apns' },
      ],
      chatDestinations: [],
      attributes: {},
    });

    const first = await push('u-push', 'First');
    expect(first.status).toBe('sent');
    expect(fcm.received.map((r) => fcmTokenOf(r.text)).sort()).toEqual(['fcm-dead', 'fcm-live']);
    expect(apns.received.map((r) => r.path)).toEqual(['/3/device/a1b2c3d4']);
    const destinations = first.attempts[0].destinations as Array<{ provider: string; outcome: string; errorCode: string | null }>;
    expect(destinations).toHaveLength(3);
    expect(destinations.filter((d) => d.outcome === 'sent').map((d) => d.provider).sort()).toEqual(['apns', 'fcm']);
    expect(destinations.filter((d) => d.outcome === 'permanent_failure')).toEqual([expect.objectContaining({ provider: 'fcm', errorCode: 'fcm_unregistered' })]);

    const profile = await directory.get('u-push');
    expect(profile!.deviceTokens.map((t) => t.token).sort()).toEqual(['a1b2c3d4', 'fcm-live']);

    fcm.received.length = 0;
    apns.received.length = 0;
    const second = await push('u-push', 'Second');
    expect(second.status).toBe('sent');
    expect(fcm.received.map((r) => fcmTokenOf(r.text))).toEqual(['fcm-live']);
    expect(apns.received).toHaveLength(1);
  });

  it('a transient failure of one token retries only that token', async () => {
    const directory = herald.app.get(RecipientDirectory);
    await directory.upsert({
      userId: 'u-retry',
      email: null,
      phone: null,
      locale: null,
      timezone: null,
      deviceTokens: [
        { token: 'fcm-flaky', platform: 'fcm' },
        { token: 'fcm-steady', platform: 'fcm' },
      ],
      chatDestinations: [],
      attributes: {},
    });
    let flakyCalls = 0;
    const before = fcm.respond;
    fcm.respond = (req) => {
      if (fcmTokenOf(req.text) === 'fcm-flaky' && ++flakyCalls === 1) return fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE', 'try later');
      return before(req);
    };
    fcm.received.length = 0;
    try {
      const view = await push('u-retry', 'Retry');
      expect(view.status).toBe('sent');
      expect(view.attempts).toHaveLength(2);
      expect(fcm.received.map((r) => fcmTokenOf(r.text)).filter((t) => t === 'fcm-steady')).toHaveLength(1);
      expect(fcm.received.map((r) => fcmTokenOf(r.text)).filter((t) => t === 'fcm-flaky')).toHaveLength(2);
    } finally {
      fcm.respond = before;
    }
  });

  it('honours Retry-After: the retry waits at least as long as FCM asked, beyond the retry schedule', async () => {
    const directory = herald.app.get(RecipientDirectory);
    await directory.upsert({
      userId: 'u-throttled',
      email: null,
      phone: null,
      locale: null,
      timezone: null,
      deviceTokens: [{ token: 'fcm-throttled', platform: 'fcm' }],
      chatDestinations: [],
      attributes: {},
    });
    let calls = 0;
    const before = fcm.respond;
    fcm.respond = (req) => {
      if (fcmTokenOf(req.text) === 'fcm-throttled' && ++calls === 1) return fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED', 'Quota exceeded.', { 'retry-after': '2' });
      return before(req);
    };
    try {
      const view = await push('u-throttled', 'Throttled');
      expect(view.status).toBe('sent');
      expect(view.attempts).toHaveLength(2);
      expect(view.attempts[0]).toMatchObject({ outcome: 'transient_failure', errorCode: 'fcm_quota_exceeded' });
      // RETRY_SCHEDULE starts at 200ms in these tests; Retry-After asked for 2s.
      const waited = Date.parse(view.attempts[1].startedAt) - Date.parse(view.attempts[0].finishedAt);
      expect(waited).toBeGreaterThanOrEqual(1900);
    } finally {
      fcm.respond = before;
    }
  });
});
