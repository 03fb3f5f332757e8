import { ConfigError, loadConfig } from './load-config';
import { parseRoles } from './roles';

describe('configuration', () => {
  const minimal = { DATABASE_URL: 'postgres://h/db', AWS_REGION: 'eu-west-1', SMTP_URL: 'smtp://mail:587', EMAIL_FROM: 'a@b.c', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123' };

  it('names every missing setting in one error', () => {
    try {
      loadConfig({});
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual(
        expect.arrayContaining(['DATABASE_URL is required', 'AWS_REGION is required', 'SMTP_URL is required', 'EMAIL_FROM is required', 'LINK_SIGNING_SECRET is required']),
      );
    }
  });

  it('requires SMTP settings only where email is sent', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://h/db', AWS_REGION: 'eu-west-1', HERALD_ROLES: 'api,relay', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123' })).not.toThrow();
  });

  it('reports malformed values with what was given', () => {
    const attempt = () => loadConfig({ ...minimal, PORT: 'eighty', RETRY_SCHEDULE: '1m,later', SMTP_URL: 'http://x' });
    expect(attempt).toThrow('PORT must be an integer >= 0 (got "eighty")');
    expect(attempt).toThrow('SMTP_URL must use smtp: or smtps: (got http:)');
    expect(attempt).toThrow('RETRY_SCHEDULE must be a comma list of durations');
  });

  it('reads the listening address, trusted proxies and the failed-authentication limit', () => {
    expect(loadConfig(minimal).http).toMatchObject({ host: null, trustProxy: false });
    expect(loadConfig(minimal).auth.failureLimitPerMinute).toBe(60);
    const config = loadConfig({ ...minimal, HOST: '127.0.0.1', TRUST_PROXY: '10.0.0.0/8, loopback', AUTH_FAILURE_LIMIT_PER_MINUTE: '5' });
    expect(config.http).toMatchObject({ host: '127.0.0.1', trustProxy: ['10.0.0.0/8', 'loopback'] });
    expect(config.auth.failureLimitPerMinute).toBe(5);
    expect(loadConfig({ ...minimal, TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ ...minimal, TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(() => loadConfig({ ...minimal, TRUST_PROXY: 'the load balancer' })).toThrow('TRUST_PROXY must be true, false, a hop count');
    expect(() => loadConfig({ ...minimal, AUTH_FAILURE_LIMIT_PER_MINUTE: '0' })).toThrow('AUTH_FAILURE_LIMIT_PER_MINUTE must be an integer >= 1');
  });

  it('parses roles, defaults to all, and rejects unknown names', () => {
    expect(parseRoles(undefined).roles).toEqual(expect.arrayContaining(['api', 'relay', 'scheduler', 'worker:email']));
    expect(parseRoles('api, worker:email')).toEqual({ roles: ['api', 'worker:email'], unknown: [] });
    expect(parseRoles('api,bogus').unknown).toEqual(['bogus']);
    const config = loadConfig({ ...minimal, RETRY_SCHEDULE: '1s,2s' });
    expect(config.dispatch.retry.scheduleMs).toEqual([1000, 2000]);
  });
});
