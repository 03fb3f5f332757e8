import { emailRequest } from '../factories/notification-requests';
import { trackingToken } from '../../src/infrastructure/tracking/tracking-links';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

describe('open and click tracking with signed links', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ TRACKING_SECRET: 'tracking-secret-0123456789', TRACKING_CATEGORIES: 'newsletter', PUBLIC_URL: 'https://herald.example.com' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  async function sendHtml(category: string): Promise<{ id: string; html: string }> {
    const body = emailRequest({ category });
    body.content.email.html = '<html><body><p>Read <a href="https://example.com/article?id=7&amp;s=1">the article</a></p></body></html>';
    const id = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
    const mail = await eventually(() => herald.smtp.accepted.find((m) => m.headers['x-herald-notification-id'] === id), 15_000, 'mail');
    return { id, html: mail.html };
  }

  it('records opened and clicked with their time, redirects to the signed destination, and refuses a tampered link', async () => {
    const { id, html } = await sendHtml('newsletter');
    const pixel = /src="https:\/\/herald\.example\.com(\/t\/o\/[^"]+)"/.exec(html)![1];
    const link = /href="https:\/\/herald\.example\.com(\/t\/c\/[^"]+)"/.exec(html)![1];
    expect(html).not.toContain('href="https://example.com');

    const gif = await herald.http.get(pixel).expect(200);
    expect(gif.headers['content-type']).toBe('image/gif');
    await herald.http.get(pixel).expect(200);
    let view = (await herald.http.get(`/v1/notifications/${id}`).set(auth)).body;
    expect(view.status).toBe('opened');

    const click = await herald.http.get(link).expect(302);
    expect(click.headers.location).toBe('https://example.com/article?id=7&s=1');
    view = (await herald.http.get(`/v1/notifications/${id}`).set(auth)).body;
    expect(view.status).toBe('clicked');
    expect(view.history.map((h: { to: string }) => h.to)).toEqual(['queued', 'sending', 'sent', 'opened', 'clicked']);
    const { rows } = await herald.db.query(`SELECT type, occurred_at FROM delivery_events WHERE notification_id = $1 ORDER BY occurred_at`, [id]);
    expect(rows.map((r: { type: string }) => r.type)).toEqual(['opened', 'clicked']);

    const [body, mac] = link.split('/t/c/')[1].split('.');
    const forged = Buffer.from(JSON.stringify({ n: id, u: 'https://evil.example' })).toString('base64url');
    await herald.http.get(`/t/c/${forged}.${mac}`).expect(404);
    await herald.http.get(`/t/c/${body}.${mac[0] === 'x' ? 'y' : 'x'}${mac.slice(1)}`).expect(404);
  });

  it('refuses (404) a MAC that is not in canonical base64url: an extra character, padding, or a changed last character', async () => {
    const { html } = await sendHtml('newsletter');
    const link = /href="https:\/\/herald\.example\.com(\/t\/c\/[^"]+)"/.exec(html)![1];
    const [body, mac] = link.split('/t/c/')[1].split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = mac.slice(0, -1) + alphabet[alphabet.indexOf(mac.slice(-1)) + 1];
    for (const spelling of [`${mac}=`, `${mac}%2A`, sameBytes, `${mac}A`]) {
      await herald.http.get(`/t/c/${body}.${spelling}`).expect(404);
    }
    await herald.http.get(link).expect(302);
  });

  it('redirects only to links of the content Herald rendered, even for a link signed with the tracking secret', async () => {
    const { id } = await sendHtml('newsletter');
    const signed = trackingToken('tracking-secret-0123456789', { n: id, u: 'https://evil.example/phish' });
    await herald.http.get(`/t/c/${signed}`).expect(404);
    const rendered = trackingToken('tracking-secret-0123456789', { n: id, u: 'https://example.com/article?id=7&s=1' });
    await herald.http.get(`/t/c/${rendered}`).expect(302);
  });

  it('links expire TRACKING_LINK_TTL (90 days) after the email was accepted', async () => {
    const { id, html } = await sendHtml('newsletter');
    const link = /href="https:\/\/herald\.example\.com(\/t\/c\/[^"]+)"/.exec(html)![1];
    const pixel = /src="https:\/\/herald\.example\.com(\/t\/o\/[^"]+)"/.exec(html)![1];
    await herald.db.query(`UPDATE notifications SET created_at = now() - interval '89 days' WHERE id = $1`, [id]);
    await herald.http.get(link).expect(302);
    await herald.db.query(`UPDATE notifications SET created_at = now() - interval '91 days' WHERE id = $1`, [id]);
    await herald.http.get(link).expect(404);
    await herald.http.get(pixel).expect(404);
  });

  it('leaves emails of untracked categories untouched', async () => {
    const { html } = await sendHtml('orders');
    expect(html).toContain('href="https://example.com/article?id=7&amp;s=1"');
    expect(html).not.toContain('/t/o/');
  });
});
