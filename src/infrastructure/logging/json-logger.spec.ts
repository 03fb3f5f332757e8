import { Writable } from 'node:stream';
import { JsonLogger, redactSensitive } from './json-logger';

describe('log line redaction', () => {
  it('censors sensitive fields at the top level and one level down, and request credentials', () => {
    const line = {
      msg: 'oops',
      token: 't0k3n',
      email: { subject: 'hello', to: 'a@example.com', html: '<p>hi</p>' },
      req: { method: 'POST', headers: { authorization: 'Bearer hk_live_abc', cookie: 'sid=1', 'user-agent': 'curl' } },
    };
    expect(redactSensitive(line)).toEqual({
      msg: 'oops',
      token: '[redacted]',
      email: { subject: '[redacted]', to: 'a@example.com', html: '[redacted]' },
      req: { method: 'POST', headers: { authorization: '[redacted]', cookie: '[redacted]', 'user-agent': 'curl' } },
    });
  });

  it('never changes the objects it was given, and returns a clean line as it is', () => {
    const nested = { password: 'p4ss' };
    const line = { msg: 'oops', nested };
    expect(redactSensitive(line)).toEqual({ msg: 'oops', nested: { password: '[redacted]' } });
    expect(nested.password).toBe('p4ss');
    const clean = { msg: 'send attempt finished', notificationId: 'n-1', attempt: 1, provider: 'smtp', meta: { channel: 'email' } };
    expect(redactSensitive(clean)).toBe(clean);
  });

  it('goes no deeper than one level, and leaves arrays and errors alone (as the documented rule says)', () => {
    const err = Object.assign(new Error('boom'), { token: 'kept-in-error' });
    const line = { a: { b: { password: 'deep' } }, list: [{ password: 'in-array' }], err };
    expect(redactSensitive(line)).toBe(line);
  });
});

describe('error lines', () => {
  it('are censored of tokens in URLs and configured secrets, and go to the error reporter too', () => {
    const lines: string[] = [];
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const reported: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
    const reporter = { report: (level: 'error' | 'fatal', message: string, fields: Record<string, unknown>) => void reported.push({ level, message, fields }), flush: async () => undefined };
    const logger = new JsonLogger('info', out, reporter, ['configured-secret-1234']);
    logger.error('queue herald-email: upstream https://x.internal/r?token=abc123 failed (configured-secret-1234)', 'SqsQueueTransport');
    logger.error({ msg: 'batch failed: Bearer hk_live_zzz', notificationIds: ['n-1'] });
    logger.warn('warnings are left as they are ?token=kept');
    expect(lines.join('')).not.toMatch(/abc123|configured-secret-1234|hk_live_zzz/);
    expect(lines.join('')).toContain('?token=kept');
    expect(reported).toEqual([
      { level: 'error', message: 'queue herald-email: upstream https://x.internal/r?token=[redacted] failed ([redacted])', fields: { context: 'SqsQueueTransport' } },
      { level: 'error', message: 'batch failed: Bearer [redacted]', fields: { notificationIds: ['n-1'] } },
    ]);
  });
});
