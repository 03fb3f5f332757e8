import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { fcmTokenOf, startFcmPeer } from '../support/peers/fcm-peer';
import type { HttpPeer } from '../support/peers/http-peer';

describe('preferences across channels: email off, push on', () => {
  let herald: Herald;
  let fcm: HttpPeer;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
  const pushedTokens: string[] = [];

  beforeAll(async () => {
    fcm = await startFcmPeer('herald-prefs');
    fcm.respond = (req) => {
      pushedTokens.push(fcmTokenOf(req.text) ?? '');
      return { status: 200, body: { name: 'projects/herald-prefs/messages/1' } };
    };
    herald = await startHerald({ PUSH_PROVIDERS: 'fcm', FCM_BASE_URL: fcm.url, FCM_PROJECT_ID: 'herald-prefs', FCM_ACCESS_TOKEN: 'ya29.prefs' });
  });
  afterAll(async () => {
    await herald.stop();
    await fcm.close();
  });

  it('sends only the push when the user turned the category off for email but not for push', async () => {
    await herald.http.put('/v1/categories/news').set(auth).send({ description: 'Product news', channelDefaults: { email: true, push: true } }).expect(200);
    await herald.http
      .put('/v1/recipients/u-mixed')
      .set(auth)
      .send({ email: 'mixed@example.com', deviceTokens: [{ token: 'fcm-mixed-1', platform: 'fcm' }] })
      .expect(200);
    await herald.http
      .put('/v1/recipients/u-mixed/preferences')
      .set(auth)
      .send({ categories: { news: { email: false, push: true } }, optedOutChannels: [] })
      .expect(200);

    const res = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({
        recipient: { userId: 'u-mixed' },
        channels: ['email', 'push'],
        category: 'news',
        content: { email: { subject: 'New release', text: 'Version 2 is out' }, push: { title: 'New release', body: 'Version 2 is out' } },
      })
      .expect(202);
    const byChannel = Object.fromEntries(res.body.notifications.map((n: { channel: string; id: string }) => [n.channel, n.id]));
    const settle = (id: string) =>
      eventually(async () => {
        const r = await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200);
        return ['sent', 'failed', 'suppressed', 'unknown'].includes(r.body.status) ? r.body : undefined;
      }, 30_000, `notification ${id} settled`);
    const [email, push] = await Promise.all([settle(byChannel.email), settle(byChannel.push)]);

    expect(email.status).toBe('suppressed');
    expect(email.statusReason).toContain('turned off email for category "news"');
    expect(email.attempts).toHaveLength(0);
    expect(herald.smtp.received.filter((m) => m.to.includes('mixed@example.com'))).toHaveLength(0);

    expect(push.status).toBe('sent');
    expect(push.provider).toBe('fcm');
    expect(pushedTokens).toEqual(['fcm-mixed-1']);
  });
});
