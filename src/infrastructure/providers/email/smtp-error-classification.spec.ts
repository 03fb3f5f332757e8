import { classifySmtpFailure } from './smtp-error-classification';

describe('SMTP failure classification', () => {
  it.each([
    [{ responseCode: 451, response: '451 4.7.1 greylisted', message: 'x' }, 'transient', 'smtp_451'],
    [{ responseCode: 421, response: '421 too busy', message: 'x' }, 'transient', 'smtp_421'],
    [{ responseCode: 550, response: '550 5.1.1 no such user', message: 'x' }, 'permanent', 'smtp_550'],
    [{ responseCode: 535, code: 'EAUTH', response: '535 bad credentials', message: 'x' }, 'permanent', 'smtp_auth_failed'],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }, 'transient', 'smtp_econnection'],
    [{ code: 'ETIMEDOUT', command: 'CONN', message: 'Connection timeout' }, 'transient', 'smtp_etimedout'],
    [{ code: 'ETIMEDOUT', command: 'DATA', message: 'Timeout' }, 'unknown', 'smtp_lost_after_data'],
    [{ code: 'ESOCKET', command: 'message', message: 'socket closed' }, 'unknown', 'smtp_lost_after_data'],
  ])('%j is %s (%s)', (err, outcome, code) => {
    expect(classifySmtpFailure(err)).toMatchObject({ outcome, code });
  });
});
