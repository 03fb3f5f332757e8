import { randomBytes } from 'node:crypto';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { startTwilioPeer, twilioOnly, type TwilioPeer } from '../support/peers/twilio-peer';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const sid = 'AC00000000000000000000000000000021';

/** A template in English and French; its French email has a text part of its own. */
const welcome = (subject: string, frSubject = 'Bienvenue {{name}}') => ({
  defaultLocale: 'en',
  variables: ['name'],
  locales: {
    en: { email: { subject: `${subject} {{name}}`, html: '<p>Hello {{name}}</p>' }, sms: { text: 'Hello {{name}}' } },
    fr: { email: { subject: frSubject, html: '<p>Bonjour <b>{{name}}</b></p>', text: 'Bonjour {{name}}' } },
  },
});

async function send(herald: Herald, body: object): Promise<string> {
  return (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
}
async function sent(herald: Herald, id: string): Promise<void> {
  await eventually(async () => ((await herald.http.get(`/v1/notifications/${id}`).set(auth)).body.status === 'sent' ? true : undefined), 30_000, `${id} sent`);
}

describe('GET /v1/notifications/:id/content: the content as it was sent', () => {
  let herald: Herald;
  let twilio: TwilioPeer;
  let reader: { Authorization: string };

  beforeAll(async () => {
    twilio = await startTwilioPeer(sid);
    herald = await startHerald({ ...twilioOnly(twilio, sid), TRACKING_SECRET: 'tracking-secret-0123456789', TRACKING_CATEGORIES: 'newsletter', PUBLIC_URL: 'https://herald.example.com' });
    reader = { Authorization: `Bearer ${(await herald.app.get(CreateApiKey).execute({ name: 'reader', scopes: ['notifications:read'] })).secret}` };
    await herald.http.put('/v1/templates/welcome').set(auth).send(welcome('Welcome')).expect(200);
    const v2 = await herald.http.put('/v1/templates/welcome').set(auth).send(welcome('Hi')).expect(200);
    expect(v2.body.version).toBe(2);
  });
  afterAll(async () => {
    await herald?.stop();
    await twilio?.close();
  });

  it('an email from a template: subject, HTML and text rendered with the data in the profile locale, with the version and locale used', async () => {
    await herald.http.put('/v1/recipients/u-fr').set(auth).send({ email: 'ada-fr@example.com', locale: 'fr-CA' }).expect(200);
    const id = await send(herald, { recipient: { userId: 'u-fr' }, channels: ['email'], category: 'newsletter', template: { key: 'welcome', data: { name: 'Ada <3' } } });
    await sent(herald, id);
    // A later version changes nothing of what was sent.
    await herald.http.put('/v1/templates/welcome').set(auth).send(welcome('Changed', 'Changé {{name}}')).expect(200);

    const res = await herald.http.get(`/v1/notifications/${id}/content`).set(reader).expect(200);
    expect(res.body).toMatchObject({ notificationId: id, channel: 'email', status: 'sent', template: { key: 'welcome', version: 2, locale: 'fr' } });
    const email = res.body.content.email as { subject: string; html: string; text: string };
    expect(Object.keys(res.body.content)).toEqual(['email']);
    expect(email.subject).toBe('Bienvenue Ada <3');
    expect(email.html).toContain('<p>Bonjour <b>Ada &lt;3</b></p>');
    expect(email.text.startsWith('Bonjour Ada <3')).toBe(true);
    // The unsubscribe footer as sent, its signed token withheld; no tracking pixel or redirect.
    expect(email.html).toContain('https://herald.example.com/v1/unsubscribe?token=withheld');
    expect(email.text).toContain('Unsubscribe: https://herald.example.com/v1/unsubscribe?token=withheld');
    expect(email.html).not.toMatch(/\/t\/[oc]\//);

    // What the SMTP server received: the same message, with the working token and the tracking marks.
    const mail = herald.smtp.accepted.find((m) => m.headers['x-herald-notification-id'] === id)!;
    expect(mail.subject).toBe(email.subject);
    expect(mail.html).toContain('<p>Bonjour <b>Ada &lt;3</b></p>');
    expect(mail.html).toMatch(/\/t\/o\//);
    const token = /unsubscribe\?token=([^"&\s]+)/.exec(mail.text)![1];
    expect(token).not.toBe('withheld');
    expect(mail.text.replace(token, 'withheld').trim()).toBe(email.text.trim());
  });

  it('an SMS given inline: its text, and no template', async () => {
    const text = `Your code is ${randomBytes(3).readUIntBE(0, 3) % 1_000_000}`;
    const id = await send(herald, { recipient: { phone: '+14155550142' }, channels: ['sms'], content: { sms: { text } } });
    await sent(herald, id);
    const res = await herald.http.get(`/v1/notifications/${id}/content`).set(auth).expect(200);
    expect(res.body).toEqual({ notificationId: id, channel: 'sms', status: 'sent', template: null, content: { sms: { text } } });
    expect(twilio.messages.find((m) => m.params.Body === text)).toBeDefined();
  });

  it('an SMS from a template in the default locale', async () => {
    const id = await send(herald, { recipient: { phone: '+14155550143' }, channels: ['sms'], template: { key: 'welcome', data: { name: 'Grace' } } });
    await sent(herald, id);
    const res = await herald.http.get(`/v1/notifications/${id}/content`).set(auth).expect(200);
    // The latest version (3, published by the first test), in the default locale: no profile, no locale asked.
    expect(res.body.template).toEqual({ key: 'welcome', version: 3, locale: 'en' });
    expect(res.body.content).toEqual({ sms: { text: 'Hello Grace' } });
  });

  it('before any attempt: no content, but the template it was rendered from', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const id = await send(herald, { recipient: { email: 'later@example.com' }, channels: ['email'], template: { key: 'welcome', data: { name: 'Later' }, locale: 'fr' }, sendAt });
    const res = await herald.http.get(`/v1/notifications/${id}/content`).set(auth).expect(200);
    expect(res.body).toEqual({ notificationId: id, channel: 'email', status: 'scheduled', template: { key: 'welcome', version: 3, locale: 'fr' }, content: null });
  });

  it('an email refused before a message was built (no address) has no content', async () => {
    const id = await send(herald, { recipient: { userId: 'u-nobody' }, channels: ['email'], content: { email: { subject: 'Lost', text: 'Nowhere to go' } } });
    await eventually(async () => ((await herald.http.get(`/v1/notifications/${id}`).set(auth)).body.status === 'failed' ? true : undefined), 30_000, 'failed');
    const res = await herald.http.get(`/v1/notifications/${id}/content`).set(auth).expect(200);
    expect(res.body).toMatchObject({ status: 'failed', template: null, content: null });
  });

  it('404 for an unknown or malformed id; 401 without a key', async () => {
    const unknown = await herald.http.get('/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b/content').set(auth).expect(404);
    expect(unknown.body.error.code).toBe('notification_not_found');
    await herald.http.get('/v1/notifications/not-an-id/content').set(auth).expect(404);
    await herald.http.get('/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b/content').expect(401);
  });
});

describe('the content as sent, with DATA_ENCRYPTION_KEYS set', () => {
  let herald: Herald;
  let twilio: TwilioPeer;

  beforeAll(async () => {
    twilio = await startTwilioPeer(sid);
    herald = await startHerald({ ...twilioOnly(twilio, sid), DATA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` });
  });
  afterAll(async () => {
    await herald?.stop();
    await twilio?.close();
  });

  it('is sealed in its row under the key, bound to its notification, and read in clear through the API', async () => {
    const text = 'Your one-time code is 771133';
    const id = await send(herald, { recipient: { phone: '+14155550144' }, channels: ['sms'], content: { sms: { text } } });
    await sent(herald, id);
    const { rows } = await herald.db.query(`SELECT sent_content FROM notifications WHERE id = $1`, [id]);
    const stored = rows[0].sent_content as string;
    expect(stored).toMatch(/^enc:v1:k1:/);
    expect(stored).not.toContain('771133');
    expect(Buffer.from(stored.split(':').pop()!, 'base64url').toString('utf8')).not.toContain('771133');
    const res = await herald.http.get(`/v1/notifications/${id}/content`).set(auth).expect(200);
    expect(res.body.content).toEqual({ sms: { text } });

    // Moved onto another notification, the sealed value does not open there: the read fails instead of showing it.
    const other = await send(herald, { recipient: { phone: '+14155550145' }, channels: ['sms'], content: { sms: { text: 'another' } } });
    await sent(herald, other);
    await herald.db.query(`UPDATE notifications SET sent_content = $1 WHERE id = $2`, [stored, other]);
    const moved = await herald.http.get(`/v1/notifications/${other}/content`).set(auth);
    expect(moved.status).toBe(500);
    expect(JSON.stringify(moved.body)).not.toContain('771133');
  });
});
