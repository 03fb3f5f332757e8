import { signLink } from '../../src/domain/preferences/signed-link';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, LINK_SECRET, eventually, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const BASE = 'https://herald.example.com';

describe('unsubscribed status: the links in a received email mark their notification', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ TRACKING_SECRET: 'tracking-secret-0123456789', TRACKING_CATEGORIES: 'newsletter', PUBLIC_URL: BASE });
    for (const category of ['newsletter', 'marketing']) {
      await herald.http.put(`/v1/categories/${category}`).set(auth).send({ description: category, channelDefaults: { email: true } }).expect(200);
    }
  });
  afterAll(async () => {
    await herald.stop();
  });

  async function received(userId: string, category: string) {
    const body = emailRequest({ recipient: { userId, email: `${userId}@example.com` }, category });
    body.content.email.html = '<html><body><p>Read <a href="https://example.com/article">the article</a></p></body></html>';
    const id = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
    const mail = await eventually(() => herald.smtp.accepted.find((m) => m.headers['x-herald-notification-id'] === id), 15_000, 'mail');
    await eventually(async () => ((await view(id)).status === 'sent' ? true : undefined), 15_000, 'sent');
    return { id, mail };
  }
  const view = async (id: string) => (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body as { status: string; history: Array<{ to: string; reason: string }> };
  const preferences = async (userId: string) => (await herald.http.get(`/v1/recipients/${userId}/preferences`).set(auth).expect(200)).body.categories;
  const local = (url: string) => url.slice(BASE.length);

  it('the footer link of the HTML (through its click redirect) and of the text mark it unsubscribed once; a later open does not overwrite it', async () => {
    const { id, mail } = await received('u-footer', 'newsletter');
    // The tracked HTML footer: a signed click redirect whose destination is the unsubscribe page.
    const footer = [...mail.html.matchAll(/href="([^"]+)"[^>]*>Unsubscribe</g)].map((m) => m[1])[0];
    expect(footer).toMatch(/^https:\/\/herald\.example\.com\/t\/c\//);
    const redirect = await herald.http.get(local(footer)).expect(302);
    expect(redirect.headers.location).toMatch(/^https:\/\/herald\.example\.com\/v1\/unsubscribe\?token=/);
    const page = await herald.http.get(local(redirect.headers.location)).expect(200);
    expect(page.text).toContain('You are unsubscribed');

    let notification = await view(id);
    expect(notification.status).toBe('unsubscribed');
    expect(notification.history.map((h) => h.to)).toEqual(['queued', 'sending', 'sent', 'clicked', 'unsubscribed']);
    expect(notification.history.at(-1)!.reason).toContain('unsubscribe link');
    expect(await preferences('u-footer')).toEqual({ newsletter: { email: false } });

    // The text footer's link, the same token: the preference stays off and the status is not recorded twice.
    const textLink = /Unsubscribe: (\S+)/.exec(mail.text)![1];
    expect(textLink).toBe(redirect.headers.location);
    await herald.http.get(local(textLink)).expect(200);
    const pixel = /src="https:\/\/herald\.example\.com(\/t\/o\/[^"]+)"/.exec(mail.html)![1];
    await herald.http.get(pixel).expect(200);
    notification = await view(id);
    expect(notification.status).toBe('unsubscribed');
    expect(notification.history.map((h) => h.to)).toEqual(['queued', 'sending', 'sent', 'clicked', 'unsubscribed']);
    const { rows } = await herald.db.query(`SELECT type FROM delivery_events WHERE notification_id = $1 ORDER BY id`, [id]);
    expect(rows.map((r: { type: string }) => r.type)).toEqual(['clicked', 'unsubscribed', 'opened']);
  });

  it('the RFC 8058 one-click POST to the List-Unsubscribe URL marks it unsubscribed', async () => {
    const { id, mail } = await received('u-oneclick', 'marketing');
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const url = /<([^>]+)>/.exec(mail.headers['list-unsubscribe'])![1];
    await herald.http.post(local(url)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const notification = await view(id);
    expect(notification.status).toBe('unsubscribed');
    expect(notification.history.map((h) => h.to)).toEqual(['queued', 'sending', 'sent', 'unsubscribed']);
    expect(await preferences('u-oneclick')).toEqual({ marketing: { email: false } });
  });

  it('a link signed before links named their notification still changes the preference, and moves no notification', async () => {
    const { id } = await received('u-older', 'marketing');
    const older = signLink({ purpose: 'unsubscribe', userId: 'u-older', address: null, category: 'marketing', channel: 'email' }, LINK_SECRET, new Date(Date.now() + 3_600_000));
    await herald.http.get(`/v1/unsubscribe?token=${older}`).expect(200);
    expect(await preferences('u-older')).toEqual({ marketing: { email: false } });
    expect((await view(id)).status).toBe('sent');
  });

  it('lists unsubscribed among the statuses of the OpenAPI document', async () => {
    const doc = (await herald.http.get('/docs-json').expect(200)).body;
    expect(doc.components.schemas.NotificationDto.properties.status.enum).toContain('unsubscribed');
    expect(doc.components.schemas.StatusChangeDto.properties.to.enum).toContain('unsubscribed');
  });
});
