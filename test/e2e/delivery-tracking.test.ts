import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SnsMessage } from '../../src/infrastructure/providers/sns/sns-message';
import { twilioSignature } from '../../src/infrastructure/providers/twilio/twilio-signature';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { makeSigningCertificate, signSnsMessage } from '../support/sns-signing';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

describe('delivery tracking: provider webhooks, forward-only statuses, suppression list', () => {
  let herald: Herald;
  let certServer: Server;
  let base: string;
  const confirmations: string[] = [];
  const { certPem, keyPem } = makeSigningCertificate();
  const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

  beforeAll(async () => {
    // Stands in for sns.<region>.amazonaws.com: serves the signing certificate and takes subscription confirmations.
    certServer = createServer((req, res) => {
      if (req.url === '/cert.pem') return res.end(certPem);
      if (req.url?.startsWith('/confirm')) {
        confirmations.push(req.url);
        return res.end('<ConfirmSubscriptionResponse/>');
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => certServer.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(certServer.address() as AddressInfo).port}`;
    herald = await startHerald({
      WEBHOOK_SNS_CERT_URL_PATTERN: `^${base.replace(/\./g, '\\.')}/`,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      WEBHOOK_TWILIO_AUTH_TOKEN: 'twilio-test-token',
      PUBLIC_URL: 'https://herald.example.com',
    });
  });
  afterAll(async () => {
    await herald.stop();
    await new Promise((r) => certServer.close(r));
  });

  async function sent(email?: string): Promise<string> {
    const body = emailRequest();
    if (email) body.recipient.email = email;
    const id = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
    await eventually(async () => ((await status(id)) === 'sent' ? true : undefined), 15_000, 'sent');
    return id;
  }
  async function status(id: string): Promise<string> {
    return (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body.status as string;
  }
  function snsNotification(sesEvent: object, overrides: Partial<SnsMessage> = {}): SnsMessage {
    return signSnsMessage(
      {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-events',
        Message: JSON.stringify(sesEvent),
        Timestamp: new Date().toISOString(),
        SignatureVersion: '2',
        SigningCertURL: `${base}/cert.pem`,
        ...overrides,
      },
      keyPem,
    );
  }
  const sesEvent = (id: string, eventType: string, extra: object = {}) => ({
    eventType,
    mail: { messageId: `ses-${id}`, destination: ['x@example.com'], headers: [{ name: 'X-Herald-Notification-Id', value: id }] },
    ...extra,
  });
  // SNS posts its JSON as text/plain.
  const postSes = (message: SnsMessage) => herald.http.post('/v1/webhooks/ses').set('Content-Type', 'text/plain; charset=UTF-8').send(JSON.stringify(message));

  it('moves a notification forward on SES events (sent -> delivered -> opened -> clicked), ignores duplicates and steps back', async () => {
    const id = await sent();
    const delivery = snsNotification(sesEvent(id, 'Delivery', { delivery: { timestamp: new Date().toISOString() } }));
    expect((await postSes(delivery).expect(200)).body).toMatchObject({ kind: 'events', recorded: 1, statusChanges: 1 });
    expect(await status(id)).toBe('delivered');
    expect((await postSes(delivery).expect(200)).body).toMatchObject({ recorded: 0, duplicates: 1, statusChanges: 0 });
    await postSes(snsNotification(sesEvent(id, 'Open', { open: { timestamp: new Date().toISOString() } }))).expect(200);
    expect(await status(id)).toBe('opened');
    // A late delivery report does not move it back.
    const late = await postSes(snsNotification(sesEvent(id, 'Delivery', { delivery: { timestamp: new Date().toISOString() } }))).expect(200);
    expect(late.body).toMatchObject({ recorded: 1, statusChanges: 0 });
    expect(await status(id)).toBe('opened');
    await postSes(snsNotification(sesEvent(id, 'Click', { click: { timestamp: new Date().toISOString(), link: 'https://example.com' } }))).expect(200);
    const view = (await herald.http.get(`/v1/notifications/${id}`).set(auth)).body;
    expect(view.status).toBe('clicked');
    expect(view.history.map((h: { to: string }) => h.to)).toEqual(['queued', 'sending', 'sent', 'delivered', 'opened', 'clicked']);
  });

  it('settles an unknown outcome from the provider event that arrives later', async () => {
    const id = await sent();
    // As after a worker lost during the provider call.
    await herald.db.query(`UPDATE notifications SET status = 'unknown', status_reason = 'worker lease expired during the provider call' WHERE id = $1`, [id]);
    await postSes(snsNotification(sesEvent(id, 'Delivery', { delivery: { timestamp: new Date().toISOString() } }))).expect(200);
    const view = (await herald.http.get(`/v1/notifications/${id}`).set(auth)).body;
    expect(view.status).toBe('delivered');
    expect(view.statusReason).toBe('ses reported delivered');
  });

  it('suppresses an address after a hard bounce: the next notification to it is suppressed, until the entry is removed', async () => {
    const address = `bouncy-${randomUUID().slice(0, 8)}@example.com`;
    const id = await sent(address);
    const bounce = sesEvent(id, 'Bounce', {
      bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: address, diagnosticCode: 'smtp; 550 5.1.1 user unknown' }], timestamp: new Date().toISOString() },
    });
    expect((await postSes(snsNotification(bounce)).expect(200)).body).toMatchObject({ statusChanges: 1, suppressed: 1 });
    expect(await status(id)).toBe('bounced');
    const list = await herald.http.get('/v1/suppressions').query({ channel: 'email', address: address.toUpperCase() }).set(auth).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ channel: 'email', address, source: 'ses' })]);

    const body = emailRequest();
    body.recipient.email = address;
    const next = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
    const view = await eventually(async () => {
      const v = (await herald.http.get(`/v1/notifications/${next}`).set(auth)).body;
      return v.status === 'suppressed' ? v : undefined;
    }, 15_000, 'suppressed');
    expect(view.statusReason).toContain('is on the suppression list (hard bounce');
    expect(herald.smtp.accepted.filter((m) => m.to.includes(address))).toHaveLength(1);

    await herald.http.delete(`/v1/suppressions/email/${encodeURIComponent(address)}`).set(auth).expect(204);
    await herald.http.delete(`/v1/suppressions/email/${encodeURIComponent(address)}`).set(auth).expect(404);
    await sent(address);
  });

  it('refuses a tampered message, an untrusted certificate URL, and a bad SendGrid or Twilio signature with 401', async () => {
    const id = await sent();
    const good = snsNotification(sesEvent(id, 'Delivery'));
    const tampered = await postSes({ ...good, Message: JSON.stringify(sesEvent(id, 'Complaint')) }).expect(401);
    expect(tampered.body.error.code).toBe('invalid_webhook_signature');
    const elsewhere = signSnsMessage({ ...good, SigningCertURL: 'http://evil.example/cert.pem' }, keyPem);
    expect((await postSes(elsewhere).expect(401)).body.error.message).toContain('not trusted');
    await herald.http.post('/v1/webhooks/ses').set('Content-Type', 'text/plain').send('hello').expect(400);
    await herald.http.post('/v1/webhooks/sendgrid').set('X-Twilio-Email-Event-Webhook-Signature', 'MEUCIQ==').set('X-Twilio-Email-Event-Webhook-Timestamp', '1').send([]).expect(401);
    await herald.http.post('/v1/webhooks/twilio').type('form').set('X-Twilio-Signature', 'nope').send({ MessageSid: 'SM1', MessageStatus: 'delivered' }).expect(401);
    expect(await status(id)).toBe('sent');
  });

  it('takes several events for one notification in one post, in order of occurrence, ignoring a repeated one', async () => {
    const id = await sent();
    const now = Math.floor(Date.now() / 1000);
    const events = JSON.stringify([
      { email: 'x@example.com', timestamp: now + 2, event: 'open', sg_event_id: `o-${id}`, herald_notification_id: id },
      { email: 'x@example.com', timestamp: now + 1, event: 'delivered', sg_event_id: `d-${id}`, herald_notification_id: id },
      { email: 'x@example.com', timestamp: now + 1, event: 'delivered', sg_event_id: `d-${id}`, herald_notification_id: id },
    ]);
    const timestamp = String(now);
    const res = await herald.http
      .post('/v1/webhooks/sendgrid')
      .set('Content-Type', 'application/json')
      .set('X-Twilio-Email-Event-Webhook-Signature', sign('sha256', Buffer.from(timestamp + events), sendgridKeys.privateKey).toString('base64'))
      .set('X-Twilio-Email-Event-Webhook-Timestamp', timestamp)
      .send(events)
      .expect(200);
    expect(res.body).toEqual({ recorded: 2, duplicates: 1, statusChanges: 2, unmatched: 0, suppressed: 0 });
    const view = (await herald.http.get(`/v1/notifications/${id}`).set(auth)).body;
    expect(view.history.map((h: { to: string }) => h.to)).toEqual(['queued', 'sending', 'sent', 'delivered', 'opened']);
  });

  it('refuses a validly signed SendGrid post whose timestamp is outside the 5-minute window, and changes nothing', async () => {
    const id = await sent();
    const signed = (at: number) => {
      const events = JSON.stringify([{ email: 'x@example.com', timestamp: at, event: 'delivered', sg_event_id: `w-${id}-${at}`, herald_notification_id: id }]);
      const timestamp = String(at);
      return herald.http
        .post('/v1/webhooks/sendgrid')
        .set('Content-Type', 'application/json')
        .set('X-Twilio-Email-Event-Webhook-Signature', sign('sha256', Buffer.from(timestamp + events), sendgridKeys.privateKey).toString('base64'))
        .set('X-Twilio-Email-Event-Webhook-Timestamp', timestamp)
        .send(events);
    };
    const now = Math.floor(Date.now() / 1000);
    for (const at of [now - 6 * 60, now + 6 * 60, now - 24 * 3600]) {
      const res = await signed(at).expect(401);
      expect(res.body.error.code).toBe('invalid_webhook_signature');
    }
    expect(await status(id)).toBe('sent');
    expect((await signed(now - 4 * 60).expect(200)).body).toMatchObject({ recorded: 1 });
    expect(await status(id)).toBe('delivered');
  });

  it('confirms an SNS subscription by calling its SubscribeURL once the message verifies', async () => {
    const confirmation = signSnsMessage(
      {
        Type: 'SubscriptionConfirmation',
        MessageId: randomUUID(),
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-events',
        Message: 'You have chosen to subscribe to the topic',
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        SigningCertURL: `${base}/cert.pem`,
        SubscribeURL: `${base}/confirm?Action=ConfirmSubscription&Token=abc`,
        Token: 'abc',
      },
      keyPem,
    );
    expect((await postSes(confirmation).expect(200)).body).toEqual({ kind: 'subscription_confirmed' });
    expect(confirmations).toEqual(['/confirm?Action=ConfirmSubscription&Token=abc']);
  });

  it('takes signed SendGrid events (duplicates ignored) and signed Twilio status callbacks', async () => {
    const id = await sent();
    const events = JSON.stringify([
      { email: 'x@example.com', timestamp: Math.floor(Date.now() / 1000), event: 'delivered', sg_event_id: `sg-${id}`, sg_message_id: 'abc.filter', herald_notification_id: id },
    ]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign('sha256', Buffer.from(timestamp + events), sendgridKeys.privateKey).toString('base64');
    const post = () =>
      herald.http
        .post('/v1/webhooks/sendgrid')
        .set('Content-Type', 'application/json')
        .set('X-Twilio-Email-Event-Webhook-Signature', signature)
        .set('X-Twilio-Email-Event-Webhook-Timestamp', timestamp)
        .send(events);
    expect((await post().expect(200)).body).toMatchObject({ recorded: 1, statusChanges: 1 });
    expect((await post().expect(200)).body).toMatchObject({ recorded: 0, duplicates: 1 });
    expect(await status(id)).toBe('delivered');

    // No SMS is sent on this server, so the callback names no notification: it is verified and stored unmatched.
    const params = { MessageSid: 'SM0123456789', MessageStatus: 'delivered', To: '+15005550006' };
    const twilio = await herald.http
      .post('/v1/webhooks/twilio?account=main')
      .type('form')
      .set('X-Twilio-Signature', twilioSignature('twilio-test-token', 'https://herald.example.com/v1/webhooks/twilio?account=main', params))
      .send(params)
      .expect(200);
    expect(twilio.body).toMatchObject({ recorded: 1, unmatched: 1 });
  });
});
