import { isProviderFailure } from '../../../domain/notification/send-result';
import { classifySmtpFailure } from './smtp-error-classification';

describe('SMTP failure classification', () => {
  it.each([
    [{ responseCode: 451, response: '451 4.7.1 greylisted', message: 'x' }, 'transient', 'smtp_451'],
    [{ responseCode: 421, response: '421 too busy', message: 'x' }, 'transient', 'smtp_421'],
    [{ responseCode: 550, response: '550 5.1.1 no such user', message: 'x' }, 'permanent', 'smtp_550'],
    [{ responseCode: 535, code: 'EAUTH', response: '535 bad credentials', message: 'x' }, 'permanent', 'smtp_auth_failed'],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }, 'transient', 'smtp_econnection'],
    [{ code: 'ETIMEDOUT', command: 'CONN', message: 'Connection timeout' }, 'transient', 'smtp_etimedout'],
    // The phase nodemailer names does not tell whether the final dot went out: only the hand-over does.
    [{ code: 'ETIMEDOUT', command: 'DATA', message: 'Timeout' }, 'transient', 'smtp_etimedout'],
    [{ code: 'ESOCKET', command: 'message', message: 'socket closed' }, 'transient', 'smtp_esocket'],
  ])('%j before the whole message was handed over is %s (%s)', (err, outcome, code) => {
    expect(classifySmtpFailure(err, false)).toMatchObject({ outcome, code });
  });

  it.each([
    [{ code: 'ETIMEDOUT', command: 'CONN', message: 'Timeout' }],
    [{ code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' }],
  ])('%j after the whole message was handed over is unknown', (err) => {
    expect(classifySmtpFailure(err, true)).toMatchObject({ outcome: 'unknown', code: 'smtp_lost_after_data' });
  });

  it('a server reply after the data decides the outcome even once the message was handed over', () => {
    expect(classifySmtpFailure({ responseCode: 452, response: '452 4.3.1 full', message: 'x' }, true)).toMatchObject({ outcome: 'transient' });
    expect(classifySmtpFailure({ responseCode: 554, response: '554 5.7.1 spam', message: 'x' }, true)).toMatchObject({ outcome: 'permanent' });
  });

  it.each([
    // Greylisting and a busy mailbox, answered to RCPT TO (what nodemailer reports when the only recipient is refused).
    [{ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 450, response: '450 4.2.0 <a@b.c>: Recipient address rejected: Greylisted', message: 'x' }, 'recipient'],
    [{ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451, response: '451 4.7.1 Please try again later', message: 'x' }, 'recipient'],
    [{ command: 'DATA', responseCode: 450, response: '450 mailbox busy', message: 'x' }, 'recipient'],
    [{ command: 'DATA', responseCode: 452, response: '452 4.2.2 mailbox full', message: 'x' }, 'recipient'],
    // The server itself.
    [{ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 421, response: '421 4.3.2 shutting down', message: 'x' }, 'provider'],
    [{ command: 'DATA', responseCode: 421, response: '421 too busy', message: 'x' }, 'provider'],
    [{ command: 'DATA', responseCode: 451, response: '451 4.3.0 local error', message: 'x' }, 'provider'],
    [{ command: 'MAIL FROM', responseCode: 452, response: '452 4.3.1 insufficient system storage', message: 'x' }, 'provider'],
  ])('a 4xx %j is about the %s', (err, scope) => {
    expect(classifySmtpFailure(err)).toMatchObject({ outcome: 'transient', scope });
  });

  it('connection failures are about the server', () => {
    const result = classifySmtpFailure({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' });
    expect(isProviderFailure(result)).toBe(true);
  });
});
