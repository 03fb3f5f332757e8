import { ConfigError, loadConfig } from './load-config';
import { parseRoles } from './roles';

describe('configuration', () => {
  const minimal = { DATABASE_URL: 'postgres://h/db', AWS_REGION: 'eu-west-1', SMTP_URL: 'smtp://mail:587', EMAIL_FROM: 'a@b.c' };

  it('names every missing setting in one error', () => {
    try {
      loadConfig({});
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual(['DATABASE_URL is required', 'AWS_REGION is required', 'SMTP_URL is required', 'EMAIL_FROM is required']);
    }
  });

  it('requires SMTP settings only where email is sent', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://h/db', AWS_REGION: 'eu-west-1', HERALD_ROLES: 'api,relay' })).not.toThrow();
  });

  it('reports malformed values with what was given', () => {
    const attempt = () => loadConfig({ ...minimal, PORT: 'eighty', RETRY_SCHEDULE: '1m,later', SMTP_URL: 'http://x' });
    expect(attempt).toThrow('PORT must be an integer >= 0 (got "eighty")');
    expect(attempt).toThrow('SMTP_URL must use smtp: or smtps: (got http:)');
    expect(attempt).toThrow('RETRY_SCHEDULE must be a comma list of durations');
  });

  it('parses roles, defaults to all, and rejects unknown names', () => {
    expect(parseRoles(undefined).roles).toEqual(expect.arrayContaining(['api', 'relay', 'scheduler', 'worker:email']));
    expect(parseRoles('api, worker:email')).toEqual({ roles: ['api', 'worker:email'], unknown: [] });
    expect(parseRoles('api,bogus').unknown).toEqual(['bogus']);
    const config = loadConfig({ ...minimal, RETRY_SCHEDULE: '1s,2s' });
    expect(config.dispatch.retry.scheduleMs).toEqual([1000, 2000]);
  });
});
