import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';

describe('templates: locales, versions, escaping, declared variables', () => {
  let herald: Herald;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  const orderShipped = (subjectPrefix: string) => ({
    description: 'Order shipped',
    defaultLocale: 'en',
    variables: ['orderId', 'name'],
    locales: {
      en: {
        email: { subject: `${subjectPrefix} order {{orderId}} shipped`, html: '<style>p { color: #333; }</style><p>Hi {{name}}, order {{orderId}} is on its way.</p>' },
        sms: { text: 'Order {{orderId}} shipped' },
      },
      fr: { email: { subject: 'Commande {{orderId}} expédiée', html: '<p>Bonjour {{name}}, la commande {{orderId}} est en route.</p>', text: 'Bonjour {{name}}' } },
    },
  });

  beforeAll(async () => {
    herald = await startHerald();
    const res = await herald.http.put('/v1/templates/order-shipped').set(auth).send(orderShipped('Your')).expect(200);
    expect(res.body).toMatchObject({ key: 'order-shipped', version: 1 });
  });
  afterAll(async () => {
    await herald.stop();
  });

  const preview = (body: object) => herald.http.post('/v1/templates/order-shipped/preview').set(auth).send(body);

  it('renders per locale with fallback to the language and then the default locale', async () => {
    const fr = await preview({ data: { orderId: 'o-1', name: 'Ada' }, locale: 'fr-CA', channels: ['email', 'sms'] }).expect(200);
    expect(fr.body.content.email.subject).toBe('Commande o-1 expédiée');
    expect(fr.body.content.email.text).toBe('Bonjour Ada');
    // fr has no SMS variant: the default locale's.
    expect(fr.body.content.sms.text).toBe('Order o-1 shipped');
    expect(fr.body.locales).toEqual({ email: 'fr', sms: 'en' });

    const de = await preview({ data: { orderId: 'o-1', name: 'Ada' }, locale: 'de-AT', channels: ['email'] }).expect(200);
    expect(de.body.content.email.subject).toBe('Your order o-1 shipped');
    expect(de.body.locales).toEqual({ email: 'en' });
  });

  it('escapes HTML in data in email HTML, inlines CSS, and adds a plain-text alternative', async () => {
    const res = await preview({ data: { orderId: 'o-2', name: '<img src=x onerror=alert(1)>' }, channels: ['email'] }).expect(200);
    const { html, text, subject } = res.body.content.email;
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('<p style="color: #333;">');
    expect(text).toContain('Hi <img src=x onerror=alert(1)>, order o-2 is on its way.');
    expect(subject).toBe('Your order o-2 shipped');
  });

  it('refuses a request missing a declared variable with 422 naming it, in preview and in a notification', async () => {
    const res = await preview({ data: { orderId: 'o-3' } }).expect(422);
    expect(res.body.error.code).toBe('template_variable_missing');
    expect(res.body.error.message).toContain('name');
    expect(res.body.error.details).toEqual([{ field: 'template.data.name', reason: 'is required by template "order-shipped"' }]);

    const sent = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { email: 'x@example.com' }, channels: ['email'], template: { key: 'order-shipped', data: { name: 'Ada' } } })
      .expect(422);
    expect(sent.body.error.details).toEqual([{ field: 'template.data.orderId', reason: 'is required by template "order-shipped"' }]);
    const { rows } = await herald.db.query(`SELECT count(*)::int AS n FROM notifications`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses invalid template source with 400 naming the field, and unknown templates with 404', async () => {
    const bad = orderShipped('Bad');
    bad.locales.en.email.subject = 'Order {{orderId';
    const res = await herald.http.put('/v1/templates/broken').set(auth).send(bad).expect(400);
    expect(res.body.error.details[0].field).toBe('locales.en.email.subject');
    await herald.http.post('/v1/templates/missing/preview').set(auth).send({ data: {} }).expect(404);
    await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { email: 'x@example.com' }, channels: ['email'], template: { key: 'missing', data: {} } })
      .expect(404);
  });

  it("sends in the recipient profile's locale and keeps the accepted version when a new one is published", async () => {
    await herald.http.put('/v1/recipients/u-fr').set(auth).send({ email: 'fr@example.com', locale: 'fr-FR' }).expect(200);
    // The first attempt is refused (4xx, retried), so the resend happens after version 2 exists.
    let refusals = 0;
    herald.smtp.respond = (mail) => (mail.to.includes('en@example.com') && refusals++ === 0 ? { code: 451, message: 'try later' } : undefined);

    const fr = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { userId: 'u-fr' }, channels: ['email'], template: { key: 'order-shipped', data: { orderId: 'o-4', name: 'Ada' } } })
      .expect(202);
    const en = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { email: 'en@example.com' }, channels: ['email'], template: { key: 'order-shipped', data: { orderId: 'o-5', name: 'Bo' } } })
      .expect(202);
    const enId = en.body.notifications[0].id;
    await eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${enId}`).set(auth);
      return r.body.attempts.length >= 1 && r.body.attempts[0].outcome === 'transient_failure' ? true : undefined;
    }, 20_000, 'first attempt refused');

    const v2 = await herald.http.put('/v1/templates/order-shipped').set(auth).send(orderShipped('NEW:')).expect(200);
    expect(v2.body.version).toBe(2);
    expect((await herald.http.get('/v1/templates/order-shipped?version=1').set(auth).expect(200)).body.locales.en.email.subject).toBe(
      'Your order {{orderId}} shipped',
    );

    for (const id of [fr.body.notifications[0].id, enId]) {
      await eventually(async () => ((await herald.http.get(`/v1/notifications/${id}`).set(auth)).body.status === 'sent' ? true : undefined), 20_000, 'sent');
    }
    expect(herald.smtp.accepted.find((m) => m.to.includes('fr@example.com'))!.subject).toBe('Commande o-4 expédiée');
    const enMail = herald.smtp.accepted.find((m) => m.to.includes('en@example.com'))!;
    expect(enMail.subject).toBe('Your order o-5 shipped');
    expect(refusals).toBe(2);

    const now = await preview({ data: { orderId: 'o-6', name: 'Cy' }, channels: ['email'] }).expect(200);
    expect(now.body).toMatchObject({ version: 2, content: { email: { subject: 'NEW: order o-6 shipped' } } });
  });
});
