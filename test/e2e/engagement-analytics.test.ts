import { generateKeyPairSync, sign } from 'node:crypto';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const BASE = 'https://herald.example.com';
const local = (url: string) => url.slice(BASE.length);

const template = (subject: string) => ({
  description: subject,
  defaultLocale: 'en',
  variables: ['name'],
  locales: { en: { email: { subject, html: '<html><body><p>Hi {{name}}, <a href="https://example.com/read">read on</a></p></body></html>', text: 'Hi {{name}}' } } },
});

describe('engagement analytics: GET /v1/analytics/engagement and the engagement counters', () => {
  let herald: Herald;
  const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const startedAt = new Date(Date.now() - 60_000);

  beforeAll(async () => {
    herald = await startHerald({
      TRACKING_SECRET: 'tracking-secret-0123456789',
      TRACKING_CATEGORIES: '*',
      PUBLIC_URL: BASE,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    });
    herald.smtp.respond = (mail) => (mail.to.some((t) => t.startsWith('refused-')) ? { code: 550, message: '5.1.1 mailbox unavailable' } : undefined);
    for (const category of ['newsletter', 'marketing']) {
      await herald.http.put(`/v1/categories/${category}`).set(auth).send({ description: category, channelDefaults: { email: true } }).expect(200);
    }
    await herald.http.put('/v1/templates/digest').set(auth).send(template('Your digest')).expect(200);
    await herald.http.put('/v1/templates/promo').set(auth).send(template('An offer')).expect(200);
  });
  afterAll(async () => {
    await herald.stop();
  });

  const status = async (id: string) => (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body.status as string;

  /** Sends through the real SMTP peer and waits for the worker's outcome; returns the received mail when it was accepted. */
  async function send(name: string, category: string, templateKey: string | null, outcome: 'sent' | 'failed' = 'sent') {
    const recipient = { userId: `u-${name}`, email: `${outcome === 'failed' ? 'refused' : 'reader'}-${name}@example.com` };
    const body = templateKey
      ? { recipient, channels: ['email'], category, template: { key: templateKey, data: { name } } }
      : { recipient, channels: ['email'], category, content: { email: { subject: 'Literal', html: '<p>Literal <a href="https://example.com/x">x</a></p>' } } };
    const id = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
    await eventually(async () => ((await status(id)) === outcome ? true : undefined), 20_000, `${name} ${outcome}`);
    const mail = herald.smtp.accepted.find((m) => m.headers['x-herald-notification-id'] === id);
    return { id, mail: mail! };
  }
  const pixelOf = (html: string) => /src="(https:\/\/herald\.example\.com\/t\/o\/[^"]+)"/.exec(html)![1];
  const clickOf = (html: string) => /href="(https:\/\/herald\.example\.com\/t\/c\/[^"]+)"[^>]*>read on/.exec(html)![1];

  async function sendgrid(events: object[]): Promise<void> {
    const payload = JSON.stringify(events);
    const timestamp = String(Math.floor(Date.now() / 1000));
    await herald.http
      .post('/v1/webhooks/sendgrid')
      .set('Content-Type', 'application/json')
      .set('X-Twilio-Email-Event-Webhook-Signature', sign('sha256', Buffer.from(timestamp + payload), sendgridKeys.privateKey).toString('base64'))
      .set('X-Twilio-Email-Event-Webhook-Timestamp', timestamp)
      .send(payload)
      .expect(200);
  }

  const report = async (groupBy: string) =>
    (await herald.http.get('/v1/analytics/engagement').query({ from: startedAt.toISOString(), to: new Date(Date.now() + 60_000).toISOString(), groupBy }).set(auth).expect(200)).body;

  it('counts and rates each group exactly, from real sends, tracking hits, a bounce event and an unsubscribe', async () => {
    const now = Math.floor(Date.now() / 1000);
    // digest (newsletter): a delivered, opened and clicked; b opened; c hard-bounced; d unsubscribed by one-click.
    const a = await send('a', 'newsletter', 'digest');
    const b = await send('b', 'newsletter', 'digest');
    const c = await send('c', 'newsletter', 'digest');
    const d = await send('d', 'newsletter', 'digest');
    // promo (marketing): e clicked without the pixel loading; f refused by the SMTP server (550): failed.
    const e = await send('e', 'marketing', 'promo');
    await send('f', 'marketing', 'promo', 'failed');
    // literal content (marketing): g sent, nothing more.
    await send('g', 'marketing', null);

    await sendgrid([
      { email: 'reader-a@example.com', timestamp: now, event: 'delivered', sg_event_id: `d-${a.id}`, herald_notification_id: a.id },
      { email: 'reader-c@example.com', timestamp: now, event: 'bounce', type: 'bounce', reason: '550 5.1.1 no such user', sg_event_id: `b-${c.id}`, herald_notification_id: c.id },
    ]);
    await herald.http.get(local(pixelOf(a.mail.html))).expect(200);
    expect((await herald.http.get(local(clickOf(a.mail.html))).expect(302)).headers.location).toBe('https://example.com/read');
    await herald.http.get(local(pixelOf(b.mail.html))).expect(200);
    await herald.http.get(local(clickOf(e.mail.html))).expect(302);
    const oneClick = /<([^>]+)>/.exec(d.mail.headers['list-unsubscribe'])![1];
    await herald.http.post(local(oneClick)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await status(a.id)).toBe('clicked');
    expect(await status(c.id)).toBe('bounced');
    expect(await status(d.id)).toBe('unsubscribed');

    const byTemplate = await report('template');
    expect(byTemplate.groupBy).toEqual(['template']);
    expect(byTemplate.groups).toEqual([
      {
        key: { template: 'digest' },
        counts: { accepted: 4, sent: 4, delivered: 3, opened: 2, clicked: 1, unsubscribed: 1, bounced: 1, complained: 0, failed: 0 },
        rates: { deliveryRate: 0.75, openRate: 0.6667, clickRate: 0.3333, clickToOpenRate: 0.5, unsubscribeRate: 0.3333, bounceRate: 0.25, complaintRate: 0, failureRate: 0 },
      },
      {
        key: { template: 'promo' },
        counts: { accepted: 2, sent: 1, delivered: 1, opened: 1, clicked: 1, unsubscribed: 0, bounced: 0, complained: 0, failed: 1 },
        rates: { deliveryRate: 1, openRate: 1, clickRate: 1, clickToOpenRate: 1, unsubscribeRate: 0, bounceRate: 0, complaintRate: 0, failureRate: 0.5 },
      },
      {
        key: { template: null },
        counts: { accepted: 1, sent: 1, delivered: 0, opened: 0, clicked: 0, unsubscribed: 0, bounced: 0, complained: 0, failed: 0 },
        rates: { deliveryRate: 0, openRate: null, clickRate: null, clickToOpenRate: null, unsubscribeRate: null, bounceRate: 0, complaintRate: null, failureRate: 0 },
      },
    ]);

    const byCategoryAndProvider = await report('category,provider');
    expect(byCategoryAndProvider.groups.map((g: { key: object; counts: object }) => [g.key, g.counts])).toEqual([
      [{ category: 'marketing', provider: 'smtp' }, { accepted: 3, sent: 2, delivered: 1, opened: 1, clicked: 1, unsubscribed: 0, bounced: 0, complained: 0, failed: 1 }],
      [{ category: 'newsletter', provider: 'smtp' }, { accepted: 4, sent: 4, delivered: 3, opened: 2, clicked: 1, unsubscribed: 1, bounced: 1, complained: 0, failed: 0 }],
    ]);
    const byChannel = await report('channel');
    expect(byChannel.groups).toHaveLength(1);
    expect(byChannel.groups[0]).toMatchObject({ key: { channel: 'email' }, counts: { accepted: 7, sent: 6, delivered: 4, opened: 3, clicked: 2, unsubscribed: 1, bounced: 1, failed: 1 } });
    expect(byChannel.groups[0].rates).toMatchObject({ deliveryRate: 0.6667, openRate: 0.75, clickRate: 0.5, bounceRate: 0.1667, failureRate: 0.1429 });

    // A window that ends before these notifications were created counts none of them.
    const earlier = await herald.http
      .get('/v1/analytics/engagement')
      .query({ from: new Date(startedAt.getTime() - 86_400_000).toISOString(), to: startedAt.toISOString() })
      .set(auth)
      .expect(200);
    expect(earlier.body.groups).toEqual([]);

    // The same events as counters: status changes as they were recorded.
    const samples = parsePrometheusText((await herald.http.get('/metrics').expect(200)).text);
    const counter = (labels: Record<string, string>) => sampleValue(samples, 'herald_engagement_events_total', { channel: 'email', ...labels });
    const digest = { template: 'digest', category: 'newsletter' };
    expect(counter({ ...digest, provider: 'none', event: 'accepted' })).toBe(4);
    expect(counter({ ...digest, provider: 'smtp', event: 'sent' })).toBe(4);
    expect(counter({ ...digest, provider: 'smtp', event: 'delivered' })).toBe(1);
    expect(counter({ ...digest, provider: 'smtp', event: 'opened' })).toBe(2);
    expect(counter({ ...digest, provider: 'smtp', event: 'clicked' })).toBe(1);
    expect(counter({ ...digest, provider: 'smtp', event: 'bounced' })).toBe(1);
    expect(counter({ ...digest, provider: 'smtp', event: 'unsubscribed' })).toBe(1);
    expect(counter({ template: 'promo', provider: 'smtp', event: 'sent' })).toBe(1);
    expect(counter({ template: 'promo', provider: 'smtp', event: 'failed' })).toBe(1);
    expect(counter({ template: 'promo', provider: 'smtp', event: 'clicked' })).toBe(1);
    expect(counter({ template: 'none', category: 'marketing', event: 'accepted' })).toBe(1);
    expect(counter({ template: 'none', category: 'marketing', provider: 'smtp', event: 'sent' })).toBe(1);
  });

  it('counts per UTC hour and per day of the window, every bucket present, and narrows to a channel or a category', async () => {
    // The notifications of the first test: 7 emails, 4 of them in category newsletter.
    const from = new Date(startedAt.getTime() - 2 * 3_600_000);
    const to = new Date(Date.now() + 60_000);
    const series = async (query: Record<string, string>) =>
      (await herald.http.get('/v1/analytics/engagement').query({ from: from.toISOString(), to: to.toISOString(), ...query }).set(auth).expect(200)).body;
    type Bucket = { start: string; end: string; counts: Record<string, number>; rates: Record<string, number | null> };
    const sum = (buckets: Bucket[], count: string) => buckets.reduce((n, b) => n + b.counts[count], 0);

    const hourly = await series({ interval: 'hour' });
    expect(hourly.interval).toBe('hour');
    const buckets: Bucket[] = hourly.buckets;
    // Consecutive, from the window's from to its to, on UTC hours in between; the first and last cut to the window.
    expect(buckets[0].start).toBe(from.toISOString());
    expect(buckets[buckets.length - 1].end).toBe(to.toISOString());
    for (let i = 1; i < buckets.length; i++) {
      expect(buckets[i].start).toBe(buckets[i - 1].end);
      expect(new Date(buckets[i].start).getUTCMinutes()).toBe(0);
    }
    expect(buckets.length).toBeGreaterThanOrEqual(3);
    // The two hours before the sends are there with zeros and no rates.
    expect(buckets[0].counts).toEqual({ accepted: 0, sent: 0, delivered: 0, opened: 0, clicked: 0, unsubscribed: 0, bounced: 0, complained: 0, failed: 0 });
    expect(Object.values(buckets[0].rates)).toEqual(Array(8).fill(null));
    // Each notification is in one bucket: the buckets add up to the whole window's figures, and each bucket's rates are its own.
    const total = hourly.groups[0].counts;
    for (const count of Object.keys(total)) expect(sum(buckets, count)).toBe(total[count]);
    expect(total).toMatchObject({ accepted: 7, sent: 6, opened: 3, clicked: 2, unsubscribed: 1, bounced: 1, failed: 1 });
    for (const b of buckets.filter((x) => x.counts.sent > 0)) expect(b.rates.deliveryRate).toBe(Math.round((b.counts.delivered / b.counts.sent) * 10_000) / 10_000);

    const daily = await series({ interval: 'day', category: 'newsletter' });
    expect(daily).toMatchObject({ interval: 'day', category: 'newsletter' });
    expect(daily.groups).toEqual([expect.objectContaining({ key: { channel: 'email' }, counts: expect.objectContaining({ accepted: 4, sent: 4, opened: 2, clicked: 1, bounced: 1 }) })]);
    expect(sum(daily.buckets, 'accepted')).toBe(4);
    expect(sum(daily.buckets, 'opened')).toBe(2);

    const sms = await series({ interval: 'day', channel: 'sms' });
    expect(sms.channel).toBe('sms');
    expect(sms.groups).toEqual([]);
    expect(sum(sms.buckets, 'accepted')).toBe(0);
    // Without an interval the answer is as it always was: no buckets.
    const plain = await series({});
    expect(plain.buckets).toBeUndefined();
    expect(plain.interval).toBeUndefined();
  });

  it('refuses missing, malformed, reversed or too long windows and unknown groupings with 400 validation_failed; needs notifications:read', async () => {
    const from = '2026-11-01T00:00:00Z';
    const cases: Array<[Record<string, string>, string]> = [
      [{ to: '2026-11-02T00:00:00Z' }, 'from'],
      [{ from }, 'to'],
      [{ from: 'yesterday', to: '2026-11-02T00:00:00Z' }, 'from'],
      [{ from, to: '2026-11-31T00:00:00Z' }, 'to'],
      [{ from, to: from }, 'to'],
      [{ from: '2026-11-02T00:00:00Z', to: from }, 'to'],
      [{ from, to: '2027-02-03T00:00:01Z' }, 'to'],
      [{ from, to: '2026-11-02T00:00:00Z', groupBy: 'country' }, 'groupBy'],
      [{ from, to: '2026-11-02T00:00:00Z', groupBy: 'channel,channel' }, 'groupBy'],
      [{ from, to: '2026-11-02T00:00:00Z', interval: 'week' }, 'interval'],
      [{ from, to: '2026-12-02T00:00:01Z', interval: 'hour' }, 'to'],
      [{ from, to: '2026-11-02T00:00:00Z', channel: 'pigeon' }, 'channel'],
      [{ from, to: '2026-11-02T00:00:00Z', category: '' }, 'category'],
    ];
    for (const [query, field] of cases) {
      const res = await herald.http.get('/v1/analytics/engagement').query(query).set(auth).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    await herald.http.get('/v1/analytics/engagement').query({ from, to: '2027-02-02T00:00:00Z' }).set(auth).expect(200);
    await herald.http.get('/v1/analytics/engagement').query({ from, to: '2026-12-02T00:00:00Z', interval: 'hour' }).set(auth).expect(200);
    await herald.http.get('/v1/analytics/engagement').query({ from, to: '2026-11-02T00:00:00Z' }).expect(401);
    const create = herald.app.get(CreateApiKey);
    const writeOnly = (await create.execute({ name: 'writer', scopes: ['notifications:write'] })).secret;
    const reader = (await create.execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
    await herald.http.get('/v1/analytics/engagement').query({ from, to: '2026-11-02T00:00:00Z' }).set('Authorization', `Bearer ${writeOnly}`).expect(403);
    await herald.http.get('/v1/analytics/engagement').query({ from, to: '2026-11-02T00:00:00Z' }).set('Authorization', `Bearer ${reader}`).expect(200);
  });

  it('documents the endpoint and its scope in the OpenAPI document', async () => {
    const doc = (await herald.http.get('/docs-json').expect(200)).body;
    const op = doc.paths['/v1/analytics/engagement'].get;
    expect(op['x-herald-scope']).toBe('notifications:read');
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['category', 'channel', 'from', 'groupBy', 'interval', 'to']);
  });
});
