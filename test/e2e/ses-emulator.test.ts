import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { startSesEmulator, type SesEmulator } from '../support/ses-emulator';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

describe('SES through Herald against aws-ses-v2-local, an emulator Herald did not write', () => {
  let herald: Herald;
  let emulator: SesEmulator;

  beforeAll(async () => {
    emulator = await startSesEmulator();
    herald = await startHerald({ EMAIL_PROVIDERS: 'ses', SES_ENDPOINT: emulator.url, SES_FROM: 'Herald <no-reply@herald.test>' });
  });
  afterAll(async () => {
    await herald.stop();
    await emulator.close();
  });

  it('sends an email with the real SES adapter; the emulator stores it with its sender, recipient, subject and both parts', async () => {
    const body = emailRequest();
    const id = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
    const view = await eventually(async () => {
      const v = (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body;
      return v.status === 'sent' ? v : undefined;
    }, 20_000, `notification ${id} sent`);

    const stored = (await emulator.stored()).filter((e) => e.destination.to.includes(body.recipient.email));
    expect(stored).toHaveLength(1);
    const [mail] = stored;
    expect(mail.from).toBe('Herald <no-reply@herald.test>');
    expect(mail.destination).toEqual({ to: [body.recipient.email], cc: [], bcc: [] });
    expect(mail.subject).toBe(body.content.email.subject);
    expect(mail.body.text).toContain(body.content.email.text);
    expect(mail.body.html).toContain(body.content.email.html);
    expect(mail.headers).toEqual(expect.arrayContaining([{ name: 'X-Herald-Notification-Id', value: id }]));
    // The MessageId the emulator answered is what Herald keeps for matching later SES events.
    expect(view.attempts).toEqual([expect.objectContaining({ provider: 'ses', outcome: 'sent', providerMessageId: mail.messageId })]);
  });
});
