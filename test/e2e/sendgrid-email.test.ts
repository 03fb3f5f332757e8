import type { AddressInfo } from 'node:net';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import type { HttpPeer } from '../support/peers/http-peer';
import { SendgridPeer, sendgridError, sendgridTooManyRequests, type AcceptedMail } from '../support/peers/sendgrid-peer';
import { sesError, startSesPeer } from '../support/peers/ses-peer';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const API_KEY = 'SG.herald-e2e.0123456789abcdef';

interface View {
  status: string;
  statusReason: string | null;
  history: Array<{ to: string }>;
  attempts: Array<{ provider: string | null; outcome: string; errorCode: string | null; providerMessageId: string | null; startedAt: string; finishedAt: string | null }>;
}

async function view(herald: Herald, id: string): Promise<View> {
  return (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body as View;
}

async function submit(herald: Herald, body: ReturnType<typeof emailRequest>): Promise<string> {
  return (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
}

async function settled(herald: Herald, id: string, statuses: string[]): Promise<View> {
  return eventually(async () => {
    const v = await view(herald, id);
    return statuses.includes(v.status) ? v : undefined;
  }, 20_000, `notification ${id} in ${statuses.join('/')}`);
}

function mailFor(peer: SendgridPeer, id: string): AcceptedMail | undefined {
  return peer.accepted.find((m) => m.payload.custom_args?.herald_notification_id === id);
}

describe('SendGrid as the email provider: v3 Mail Send, the signed Event Webhook, the suppression list', () => {
  let herald: Herald;
  let sendgrid: SendgridPeer;
  let webhookUrl: string;

  beforeAll(async () => {
    sendgrid = await SendgridPeer.start({ apiKey: API_KEY, verifiedSenders: ['no-reply@herald.test'] });
    herald = await startHerald({
      EMAIL_PROVIDERS: 'sendgrid',
      SENDGRID_BASE_URL: sendgrid.url,
      SENDGRID_API_KEY: API_KEY,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKey,
    });
    await herald.app.listen(0, '127.0.0.1');
    webhookUrl = `http://127.0.0.1:${(herald.app.getHttpServer().address() as AddressInfo).port}/v1/webhooks/sendgrid`;
  });
  afterAll(async () => {
    await herald.stop();
    await sendgrid.close();
  });
  beforeEach(() => {
    sendgrid.fail = null;
  });

  it('sends through Mail Send, then records delivered, open and click for one email and a bounce for another, which suppresses its address', async () => {
    const first = emailRequest();
    const second = emailRequest();
    const [a, b] = [await submit(herald, first), await submit(herald, second)];
    const [viewA] = [await settled(herald, a, ['sent']), await settled(herald, b, ['sent'])];

    // The peer received the v3 payload: sender, recipient, subject, both parts, the category and the notification id.
    const mailA = mailFor(sendgrid, a)!;
    const mailB = mailFor(sendgrid, b)!;
    expect(mailA).toBeDefined();
    expect(mailB).toBeDefined();
    expect(mailA.payload).toMatchObject({
      personalizations: [{ to: [{ email: first.recipient.email }] }],
      from: { email: 'no-reply@herald.test', name: 'Herald' },
      subject: first.content.email.subject,
      categories: ['orders'],
      custom_args: { herald_notification_id: a },
    });
    expect(mailA.payload.content!.map((c) => c.type)).toEqual(['text/plain', 'text/html']);
    expect(mailA.payload.content![0].value).toContain(first.content.email.text);
    expect(mailA.payload.content![1].value).toContain(first.content.email.html);
    expect(mailA.payload.headers).toMatchObject({ 'X-Herald-Notification-Id': a, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    // X-Message-Id of the 202 is kept as the provider message id.
    expect(viewA.attempts).toEqual([expect.objectContaining({ provider: 'sendgrid', outcome: 'sent', providerMessageId: mailA.messageId })]);

    // The peer posts the signed Event Webhook, as SendGrid batches it.
    const engagement = await sendgrid.postEvents(webhookUrl, [
      sendgrid.event(mailA, 'delivered', { response: '250 2.0.0 OK' }),
      sendgrid.event(mailA, 'open', { useragent: 'Mozilla/5.0', ip: '203.0.113.7', sg_machine_open: false }),
      sendgrid.event(mailA, 'click', { url: 'https://shop.example/orders/1', url_offset: { index: 0, type: 'html' } }),
    ]);
    expect(engagement).toEqual({ status: 200, body: { recorded: 3, duplicates: 0, statusChanges: 3, unmatched: 0, suppressed: 0 } });
    const afterEngagement = await view(herald, a);
    expect(afterEngagement.status).toBe('clicked');
    expect(afterEngagement.history.map((h) => h.to)).toEqual(['queued', 'sending', 'sent', 'delivered', 'opened', 'clicked']);

    const bounce = await sendgrid.postEvents(webhookUrl, [
      sendgrid.event(mailB, 'bounce', { type: 'bounce', status: '5.1.1', reason: '550 5.1.1 The email account that you tried to reach does not exist.', bounce_classification: 'Invalid Address' }),
    ]);
    expect(bounce).toEqual({ status: 200, body: { recorded: 1, duplicates: 0, statusChanges: 1, unmatched: 0, suppressed: 1 } });
    const bounced = await view(herald, b);
    expect(bounced.status).toBe('bounced');
    expect(bounced.history.map((h) => h.to)).toEqual(['queued', 'sending', 'sent', 'bounced']);
    const list = await herald.http.get('/v1/suppressions').query({ channel: 'email', address: second.recipient.email }).set(auth).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ channel: 'email', address: second.recipient.email, source: 'sendgrid' })]);

    // The next email to the bounced address is suppressed and never reaches SendGrid.
    const sentBefore = sendgrid.accepted.length;
    const again = await submit(herald, emailRequest({ recipient: second.recipient }));
    expect((await settled(herald, again, ['suppressed'])).statusReason).toContain('is on the suppression list');
    expect(sendgrid.accepted).toHaveLength(sentBefore);
    expect(mailFor(sendgrid, again)).toBeUndefined();
  });

  it('refuses events signed with another key, or signed long ago, and changes nothing', async () => {
    const id = await submit(herald, emailRequest());
    await settled(herald, id, ['sent']);
    const mail = mailFor(sendgrid, id)!;
    const impostor = await SendgridPeer.start({ apiKey: API_KEY, verifiedSenders: [] });
    try {
      expect((await impostor.postEvents(webhookUrl, [impostor.event(mail, 'delivered')])).status).toBe(401);
    } finally {
      await impostor.close();
    }
    const stale = await sendgrid.postEvents(webhookUrl, [sendgrid.event(mail, 'delivered')], { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(401);
    expect((await view(herald, id)).status).toBe('sent');
  });

  it('a 400 fails the notification at once; a 429 is retried no sooner than the rate-limit reset', async () => {
    sendgrid.fail = () => sendgridError(400, 'The subject is required.', 'subject');
    const refused = await submit(herald, emailRequest());
    const failed = await settled(herald, refused, ['failed']);
    expect(failed.attempts).toEqual([expect.objectContaining({ provider: 'sendgrid', outcome: 'permanent_failure', errorCode: 'sendgrid_400' })]);

    // RETRY_SCHEDULE is 200ms in tests: the second try waits for the period SendGrid named instead.
    sendgrid.fail = () => {
      sendgrid.fail = null;
      return sendgridTooManyRequests(Math.floor(Date.now() / 1000) + 3);
    };
    const limited = await submit(herald, emailRequest());
    const sent = await settled(herald, limited, ['sent']);
    expect(sent.attempts.map((t) => [t.provider, t.outcome, t.errorCode])).toEqual([
      ['sendgrid', 'transient_failure', 'sendgrid_429'],
      ['sendgrid', 'sent', null],
    ]);
    expect(Date.parse(sent.attempts[1].startedAt) - Date.parse(sent.attempts[0].finishedAt!)).toBeGreaterThanOrEqual(1500);
  });
});

describe('SES and SendGrid as a primary/fallback pair', () => {
  let herald: Herald;
  let ses: HttpPeer;
  let sendgrid: SendgridPeer;

  beforeAll(async () => {
    ses = await startSesPeer();
    sendgrid = await SendgridPeer.start({ apiKey: API_KEY, verifiedSenders: ['no-reply@herald.test'] });
    herald = await startHerald({ EMAIL_PROVIDERS: 'ses,sendgrid', SES_ENDPOINT: ses.url, SENDGRID_BASE_URL: sendgrid.url, SENDGRID_API_KEY: API_KEY });
  });
  afterAll(async () => {
    await herald.stop();
    await ses.close();
    await sendgrid.close();
  });

  it('fails over to SendGrid within the attempt while SES answers 503, and does not when SES refuses the message for good', async () => {
    ses.respond = () => sesError(503, 'ServiceUnavailable', 'Service unavailable');
    const id = await submit(herald, emailRequest());
    const sent = await settled(herald, id, ['sent']);
    expect(sent.attempts).toEqual([expect.objectContaining({ provider: 'sendgrid', outcome: 'sent', providerMessageId: mailFor(sendgrid, id)!.messageId })]);
    expect(ses.received).toHaveLength(1);

    ses.respond = () => sesError(400, 'MessageRejected', 'Email address is not verified.');
    const rejected = await submit(herald, emailRequest());
    const failed = await settled(herald, rejected, ['failed']);
    expect(failed.attempts).toEqual([expect.objectContaining({ provider: 'ses', outcome: 'permanent_failure', errorCode: 'ses_MessageRejected' })]);
    expect(mailFor(sendgrid, rejected)).toBeUndefined();
    expect(herald.smtp.accepted).toHaveLength(0);
  });
});
