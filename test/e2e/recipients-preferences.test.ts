import { signLink } from '../../src/domain/preferences/signed-link';
import { twilioSignature } from '../../src/infrastructure/providers/twilio/twilio-signature';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, LINK_SECRET, eventually, startHerald, type Herald } from '../support/herald-harness';

const SMS_SECRET = 'sms-webhook-secret-0123456789';
const TWILIO_TOKEN = 'twilio-auth-token-for-tests';

describe('recipients, preferences and opt-out', () => {
  let herald: Herald;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    herald = await startHerald({ SMS_INBOUND_WEBHOOK_SECRET: SMS_SECRET, SMS_INBOUND_TWILIO_AUTH_TOKEN: TWILIO_TOKEN, PUBLIC_URL: 'https://herald.example.com' });
    await herald.http.put('/v1/categories/marketing').set(auth).send({ description: 'News and offers', channelDefaults: { email: true } }).expect(200);
    await herald.http.put('/v1/categories/security').set(auth).send({ description: 'Security alerts', critical: true }).expect(200);
  });
  afterAll(async () => {
    await herald.stop();
  });

  const settled = (id: string) =>
    eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200);
      return ['sent', 'suppressed', 'failed'].includes(r.body.status) ? r.body : undefined;
    }, 20_000, `notification ${id} settled`);

  const send = async (body: object) => {
    const res = await herald.http.post('/v1/notifications').set(auth).send(body).expect(202);
    return res.body.notifications[0].id as string;
  };

  const unsubscribeUrlOf = (mail: { headers: Record<string, string> }) => {
    const all = JSON.stringify(mail.headers);
    const m = /\/v1\/unsubscribe\?token=[A-Za-z0-9_.-]+/.exec(all);
    if (!m) throw new Error(`no List-Unsubscribe in ${all}`);
    return m[0];
  };

  it('documents every new endpoint in the OpenAPI document', async () => {
    const doc = await herald.http.get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/recipients/{userId}',
        '/v1/recipients/{userId}/preferences',
        '/v1/recipients/{userId}/preference-link',
        '/v1/categories/{name}',
        '/v1/unsubscribe',
        '/v1/preference-page',
        '/v1/inbound/sms',
        '/v1/templates/{key}',
        '/v1/templates/{key}/preview',
        '/v1/topics/{key}/subscribers',
        '/v1/topics/{key}/notifications',
        '/v1/fanouts/{id}',
      ]),
    );
  });

  it('stores a recipient profile and returns it', async () => {
    const profile = {
      email: 'grace@example.com',
      phone: '+14155550101',
      locale: 'fr-CA',
      timezone: 'America/Toronto',
      deviceTokens: [{ token: 'tok-1', platform: 'fcm' }, { token: 'https://push.example/abc', platform: 'webpush', keys: { p256dh: 'k', auth: 'a' } }],
      chatDestinations: [{ type: 'slack', url: 'https://hooks.slack.com/services/T/B/X', enabled: true }],
      attributes: { plan: 'pro' },
    };
    await herald.http.put('/v1/recipients/u-grace').set(auth).send(profile).expect(200);
    const got = await herald.http.get('/v1/recipients/u-grace').set(auth).expect(200);
    // Tokens and chat URLs are secrets: reads return them masked, the directory keeps them whole.
    expect(got.body).toMatchObject({
      userId: 'u-grace',
      ...profile,
      deviceTokens: [{ token: '…', platform: 'fcm' }, { token: 'https://push.example/…/abc', platform: 'webpush' }],
      chatDestinations: [{ type: 'slack', url: 'https://hooks.slack.com/…/B/X', enabled: true }],
    });
    const { rows } = await herald.db.query(`SELECT device_tokens, chat_destinations FROM recipients WHERE user_id = 'u-grace'`);
    expect(rows[0]).toEqual({ device_tokens: profile.deviceTokens, chat_destinations: profile.chatDestinations });
    await herald.http.get('/v1/recipients/u-nobody').set(auth).expect(404);
  });

  it('refuses an invalid profile with a 400 naming each bad field', async () => {
    const res = await herald.http
      .put('/v1/recipients/u-bad')
      .set(auth)
      .send({
        email: 'not-an-email',
        phone: '+1415555',
        locale: 'english please',
        timezone: 'Mars/Olympus',
        deviceTokens: [{ token: '', platform: 'blackberry' }],
        chatDestinations: [{ type: 'irc', url: 'ftp://x', enabled: 'yes' }],
      })
      .expect(400);
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'email',
        'phone',
        'locale',
        'timezone',
        'deviceTokens[0].token',
        'deviceTokens[0].platform',
        'chatDestinations[0].type',
        'chatDestinations[0].url',
        'chatDestinations[0].enabled',
      ]),
    );
    expect(res.body.error.details.find((d: { field: string }) => d.field === 'phone').reason).toContain('E.164');
  });

  it('sends to the address on file when the request names only a userId', async () => {
    await herald.http.put('/v1/recipients/u-only').set(auth).send({ email: 'only@example.com' }).expect(200);
    const id = await send({ recipient: { userId: 'u-only' }, channels: ['email'], content: { email: { subject: 'By id', text: 'hello' } } });
    expect((await settled(id)).status).toBe('sent');
    expect(herald.smtp.accepted.filter((m) => m.to.includes('only@example.com'))).toHaveLength(1);
  });

  it('resolves channels when the request names none: the ones the category allows and the user has an address for', async () => {
    await herald.http.put('/v1/recipients/u-resolve').set(auth).send({ email: 'resolve@example.com' }).expect(200);
    const res = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { userId: 'u-resolve' }, category: 'marketing', content: { email: { subject: 'Offers', text: 'x' } } })
      .expect(202);
    expect(res.body.notifications.map((n: { channel: string }) => n.channel)).toEqual(['email']);

    await herald.http.put('/v1/recipients/u-resolve/preferences').set(auth).send({ categories: { marketing: { email: false } }, optedOutChannels: [] }).expect(200);
    const refused = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { userId: 'u-resolve' }, category: 'marketing', content: { email: { subject: 'Offers', text: 'x' } } })
      .expect(400);
    expect(refused.body.error.details[0].field).toBe('channels');
  });

  it('suppresses, with the reason, an email whose category the user turned off, and reports the preference', async () => {
    const user = 'u-prefs';
    const put = await herald.http
      .put(`/v1/recipients/${user}/preferences`)
      .set(auth)
      .send({ categories: { marketing: { email: false, push: true } }, optedOutChannels: [] })
      .expect(200);
    expect(put.body.categories).toEqual({ marketing: { email: false, push: true } });
    expect(put.body.effective.find((c: { name: string }) => c.name === 'marketing').channels.email).toBe(false);

    const suppressed = await settled(await send(emailRequest({ recipient: { userId: user, email: 'prefs@example.com' }, category: 'marketing' })));
    expect(suppressed.status).toBe('suppressed');
    expect(suppressed.statusReason).toBe(`preferences: user ${user} turned off email for category "marketing"`);
    expect(suppressed.history.map((h: { to: string }) => h.to)).toEqual(['queued', 'sending', 'suppressed']);
    expect(suppressed.attempts).toHaveLength(0);

    // Another category is still delivered.
    const other = await settled(await send(emailRequest({ recipient: { userId: user, email: 'prefs@example.com' }, category: 'orders' })));
    expect(other.status).toBe('sent');
    expect(herald.smtp.accepted.filter((m) => m.to.includes('prefs@example.com'))).toHaveLength(1);
  });

  it('lets a critical category through a global opt-out, and suppresses the rest', async () => {
    const user = 'u-optout';
    await herald.http.put(`/v1/recipients/${user}/preferences`).set(auth).send({ categories: { security: { email: false } }, optedOutChannels: ['email'] }).expect(200);
    const marketing = await settled(await send(emailRequest({ recipient: { userId: user, email: 'optout@example.com' }, category: 'marketing' })));
    expect(marketing.status).toBe('suppressed');
    expect(marketing.statusReason).toBe(`preferences: user ${user} opted out of email`);
    const alert = await settled(await send(emailRequest({ recipient: { userId: user, email: 'optout@example.com' }, category: 'security' })));
    expect(alert.status).toBe('sent');
    const mails = herald.smtp.accepted.filter((m) => m.to.includes('optout@example.com'));
    expect(mails).toHaveLength(1);
    // Critical mail cannot be unsubscribed from: no List-Unsubscribe, no footer link.
    expect(JSON.stringify(mails[0].headers)).not.toContain('unsubscribe');
    expect(mails[0].text).not.toContain('Unsubscribe');
  });

  it('puts RFC 8058 headers and a visible link in non-critical mail; the signed link flips the preference and shows a page', async () => {
    const user = 'u-unsub';
    const first = await settled(await send(emailRequest({ recipient: { userId: user, email: 'unsub@example.com' }, category: 'marketing' })));
    expect(first.status).toBe('sent');
    const mail = herald.smtp.accepted.find((m) => m.to.includes('unsub@example.com'))!;
    expect(JSON.stringify(mail.headers)).toContain('List-Unsubscribe=One-Click');
    const path = unsubscribeUrlOf(mail);
    expect(mail.text).toContain(path);
    expect(mail.html).toContain('Unsubscribe</a>');

    const page = await herald.http.get(path).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('You are unsubscribed');
    const prefs = await herald.http.get(`/v1/recipients/${user}/preferences`).set(auth).expect(200);
    expect(prefs.body.categories).toEqual({ marketing: { email: false } });

    const next = await settled(await send(emailRequest({ recipient: { userId: user, email: 'unsub@example.com' }, category: 'marketing' })));
    expect(next.status).toBe('suppressed');
  });

  it('accepts the one-click POST and refuses tampered and expired links without changing anything', async () => {
    const user = 'u-oneclick';
    await settled(await send(emailRequest({ recipient: { userId: user, email: 'oneclick@example.com' }, category: 'marketing' })));
    const path = unsubscribeUrlOf(herald.smtp.accepted.find((m) => m.to.includes('oneclick@example.com'))!);

    const token = path.split('token=')[1];
    const [payload, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), userId: 'u-victim' })).toString('base64url');
    const tampered = await herald.http.get(`/v1/unsubscribe?token=${forged}.${sig}`).expect(400);
    expect(tampered.text).toContain('not valid');
    const expired = signLink({ purpose: 'unsubscribe', userId: user, address: null, category: 'marketing', channel: 'email' }, LINK_SECRET, new Date(Date.now() - 1000));
    const gone = await herald.http.post(`/v1/unsubscribe?token=${expired}`).type('form').send('List-Unsubscribe=One-Click').expect(410);
    expect(gone.text).toContain('expired');
    expect((await herald.http.get(`/v1/recipients/${user}/preferences`).set(auth)).body.categories).toEqual({});
    expect((await herald.http.get('/v1/recipients/u-victim/preferences').set(auth)).body.categories).toEqual({});

    await herald.http.post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect((await herald.http.get(`/v1/recipients/${user}/preferences`).set(auth)).body.categories).toEqual({ marketing: { email: false } });
  });

  it('unsubscribes a bare address (a request without userId) and suppresses its next mail with the reason', async () => {
    const recipient = { email: 'Bare@Example.com' };
    const first = await settled(await send(emailRequest({ recipient, category: 'marketing' })));
    expect(first.status).toBe('sent');
    const mail = herald.smtp.accepted.find((m) => m.to.some((to) => to.toLowerCase() === 'bare@example.com'));
    if (!mail) throw new Error(`no mail to bare@example.com among ${JSON.stringify(herald.smtp.accepted.map((m) => m.to))}`);
    const path = unsubscribeUrlOf(mail);
    await herald.http.post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const next = await settled(await send(emailRequest({ recipient, category: 'orders' })));
    expect(next.status).toBe('suppressed');
    expect(next.statusReason).toBe('preferences: bare@example.com opted out of email');
  });

  it('serves the hosted preference page by signed link and saves its toggles', async () => {
    const user = 'u-page';
    const link = await herald.http.post(`/v1/recipients/${user}/preference-link`).set(auth).expect(201);
    const path = new URL(link.body.url).pathname + new URL(link.body.url).search;
    const page = await herald.http.get(path).expect(200);
    expect(page.text).toContain('name="c:marketing:email" checked');
    expect(page.text).toMatch(/name="c:security:email" checked disabled/);

    const token = new URL(link.body.url).searchParams.get('token')!;
    // Every marketing toggle left unchecked: all turned off (the page lists every deliverable channel). Global opt-outs left unchecked.
    const saved = await herald.http.post('/v1/preference-page').type('form').send({ token }).expect(200);
    expect(saved.text).toContain('Saved.');
    const prefs = await herald.http.get(`/v1/recipients/${user}/preferences`).set(auth).expect(200);
    expect(prefs.body.categories.marketing).toMatchObject({ email: false });
    expect(Object.values(prefs.body.categories.marketing).every((on) => on === false)).toBe(true);
    expect(prefs.body.categories.security).toBeUndefined();

    await herald.http.get('/v1/preference-page?token=nope.nope').expect(400);
  });

  it('turns SMS off for the number (and its users) when a STOP reply arrives through the inbound webhook', async () => {
    await herald.http.put('/v1/recipients/u-sms').set(auth).send({ phone: '+14155550123' }).expect(200);
    await herald.http.post('/v1/inbound/sms?secret=wrong-secret-0123456789').type('form').send({ From: '+14155550123', Body: 'STOP' }).expect(403);
    const res = await herald.http
      .post(`/v1/inbound/sms?secret=${SMS_SECRET}`)
      .type('form')
      .send({ From: '+14155550123', To: '+14155550000', Body: ' stop ', MessageSid: 'SM123' })
      .expect(200);
    expect(res.headers['content-type']).toContain('text/xml');
    expect(res.headers['x-herald-sms-action']).toBe('opted_out');
    expect((await herald.http.get('/v1/recipients/u-sms/preferences').set(auth)).body.optedOutChannels).toEqual(['sms']);
    const { rows } = await herald.db.query(`SELECT address FROM address_opt_outs WHERE channel = 'sms'`);
    expect(rows.map((r) => r.address)).toContain('+14155550123');

    await herald.http.post(`/v1/inbound/sms?secret=${SMS_SECRET}`).type('form').send({ From: '+14155550123', Body: 'START' }).expect(200);
    expect((await herald.http.get('/v1/recipients/u-sms/preferences').set(auth)).body.optedOutChannels).toEqual([]);

    // Twilio's own request signature works instead of the secret; a forged one is refused.
    const form = { From: '+14155550123', Body: 'Stop', AccountSid: 'AC1' };
    const signature = twilioSignature(TWILIO_TOKEN, 'https://herald.example.com/v1/inbound/sms', form);
    await herald.http.post('/v1/inbound/sms').set('X-Twilio-Signature', `x${signature.slice(1)}`).type('form').send(form).expect(403);
    await herald.http.post('/v1/inbound/sms').set('X-Twilio-Signature', signature).type('form').send(form).expect(200);
    expect((await herald.http.get('/v1/recipients/u-sms/preferences').set(auth)).body.optedOutChannels).toEqual(['sms']);
  });

  /** What a browser posts for the page's form: every hidden field, and each checked box that is not disabled. */
  const formOf = (html: string): Record<string, string> => {
    const fields: Record<string, string> = {};
    for (const [tag] of html.matchAll(/<input [^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(tag)?.[1];
      if (!name) continue;
      if (/type="hidden"/.test(tag)) fields[name] = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
      else if (/type="checkbox"/.test(tag) && / checked/.test(tag) && !/ disabled/.test(tag)) fields[name] = 'on';
    }
    return fields;
  };

  it('the preference page saves only what the person changed: lifting a stop by sms restores every category\'s defaults', async () => {
    await herald.http.put('/v1/categories/digest').set(auth).send({ description: 'Weekly digest', channelDefaults: { sms: false } }).expect(200);
    const user = 'u-page-stop';
    const link = await herald.http.post(`/v1/recipients/${user}/preference-link`).set(auth).expect(201);
    const path = new URL(link.body.url).pathname + new URL(link.body.url).search;
    const effectiveSms = async () => {
      const prefs = (await herald.http.get(`/v1/recipients/${user}/preferences`).set(auth).expect(200)).body;
      return Object.fromEntries((prefs.effective as Array<{ name: string; channels: Record<string, boolean> }>).map((c) => [c.name, c.channels.sms]));
    };
    expect(await effectiveSms()).toMatchObject({ marketing: true, digest: false, security: true });

    // Tick "stop everything by sms" and save, as a browser would.
    const before = formOf((await herald.http.get(path).expect(200)).text);
    expect(before['optout:sms']).toBeUndefined();
    await herald.http.post(path).type('form').send({ ...before, 'optout:sms': 'on' }).expect(200);
    let stored = (await herald.http.get(`/v1/recipients/${user}/preferences`).set(auth).expect(200)).body;
    expect({ categories: stored.categories, optedOutChannels: stored.optedOutChannels }).toEqual({ categories: {}, optedOutChannels: ['sms'] });
    expect(await effectiveSms()).toMatchObject({ marketing: false, digest: false, security: true });

    // The page now shows sms off everywhere; untick the stop and save.
    const stopped = formOf((await herald.http.get(path).expect(200)).text);
    expect(stopped['optout:sms']).toBe('on');
    expect(stopped['c:marketing:sms']).toBeUndefined();
    const { 'optout:sms': _lifted, ...lifted } = stopped;
    await herald.http.post(path).type('form').send(lifted).expect(200);
    stored = (await herald.http.get(`/v1/recipients/${user}/preferences`).set(auth).expect(200)).body;
    expect({ categories: stored.categories, optedOutChannels: stored.optedOutChannels }).toEqual({ categories: {}, optedOutChannels: [] });
    expect(await effectiveSms()).toMatchObject({ marketing: true, digest: false, security: true });

    // One box changed: only that choice is stored.
    const page = formOf((await herald.http.get(path).expect(200)).text);
    const { 'c:marketing:email': _unticked, ...rest } = page;
    await herald.http.post(path).type('form').send({ ...rest, 'c:digest:sms': 'on' }).expect(200);
    stored = (await herald.http.get(`/v1/recipients/${user}/preferences`).set(auth).expect(200)).body;
    expect({ categories: stored.categories, optedOutChannels: stored.optedOutChannels }).toEqual({
      categories: { marketing: { email: false }, digest: { sms: true } },
      optedOutChannels: [],
    });
  });
});
