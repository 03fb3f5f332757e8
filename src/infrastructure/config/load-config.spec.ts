import { ConfigError, loadConfig } from './load-config';
import { parseRoles } from './roles';

describe('configuration', () => {
  const minimal = { DATABASE_URL: 'postgres://h/db', AWS_REGION: 'eu-west-1', SMTP_URL: 'smtp://mail:587', EMAIL_FROM: 'a@b.c', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://herald.example.com' };

  it('names every missing setting in one error', () => {
    try {
      loadConfig({});
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual(
        expect.arrayContaining(['DATABASE_URL is required', 'AWS_REGION is required', 'SMTP_URL is required', 'EMAIL_FROM is required', 'LINK_SIGNING_SECRET is required', 'PUBLIC_URL is required']),
      );
    }
  });

  it('outbound requests are https-only and public-only unless the development settings say otherwise', () => {
    const config = loadConfig(minimal);
    expect(config.outbound).toEqual({ allowHttp: false, allowPrivateNetworks: false, slackHosts: ['hooks.slack.com', 'hooks.slack-gov.com'] });
    expect(config.tracking.linkTtlMs).toBe(90 * 24 * 3_600_000);
    expect(config.webhooks.timestampToleranceMs).toBe(300_000);
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...minimal, CUSTOMER_WEBHOOK_SECRET: 'whsec_0123456789abcdef', ...env });
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ CUSTOMER_WEBHOOK_URL: 'http://events.example.com/herald' })).toEqual([expect.stringMatching(/^CUSTOMER_WEBHOOK_URL: destinations must use https/)]);
    expect(problems({ CUSTOMER_WEBHOOK_URL: 'https://169.254.169.254/' })).toEqual([expect.stringMatching(/^CUSTOMER_WEBHOOK_URL: the destination is a loopback/)]);
    expect(problems({ CUSTOMER_WEBHOOK_URL: 'http://127.0.0.1:9000/', OUTBOUND_ALLOW_HTTP: 'true', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' })).toEqual([]);
    expect(problems({ OUTBOUND_ALLOW_HTTP: 'maybe' })).toEqual(['OUTBOUND_ALLOW_HTTP must be true or false (got "maybe")']);
  });

  it('requires SMTP settings only where email is sent', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://h/db', AWS_REGION: 'eu-west-1', HERALD_ROLES: 'api,relay', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://h.example.com' })).not.toThrow();
  });

  it('requires an https PUBLIC_URL for the roles that build links, unless plain http is explicitly allowed', () => {
    const { PUBLIC_URL: _omitted, ...withoutUrl } = minimal;
    for (const roles of ['api', 'worker:email', 'all']) {
      expect(() => loadConfig({ ...withoutUrl, HERALD_ROLES: roles })).toThrow('PUBLIC_URL is required');
    }
    // Roles that build no link do not need it.
    expect(() => loadConfig({ ...withoutUrl, HERALD_ROLES: 'relay,scheduler,stream' })).not.toThrow();
    expect(() => loadConfig({ ...minimal, PUBLIC_URL: 'http://herald.example.com' })).toThrow(
      'PUBLIC_URL must use https: (got "http://herald.example.com"); set PUBLIC_URL_ALLOW_HTTP=true',
    );
    expect(() => loadConfig({ ...minimal, PUBLIC_URL: 'ftp://herald.example.com' })).toThrow('PUBLIC_URL must use http: or https: (got ftp:)');
    expect(() => loadConfig({ ...minimal, PUBLIC_URL: 'not a url' })).toThrow('PUBLIC_URL is not a valid URL');
    expect(loadConfig({ ...minimal, PUBLIC_URL: 'http://localhost:3000', PUBLIC_URL_ALLOW_HTTP: 'true' }).http.publicUrl).toBe('http://localhost:3000');
    expect(loadConfig(minimal).http.publicUrl).toBe('https://herald.example.com');
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

  it('checks SENTRY_DSN and DATA_ENCRYPTION_KEYS, and keeps the secret values off the enumerable config', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({ ...minimal, SENTRY_DSN: 'https://abc@o1.ingest.sentry.io/42', DATA_ENCRYPTION_KEYS: `k1:${key}` });
    expect(config.errorReporting.sentryDsn).toBe('https://abc@o1.ingest.sentry.io/42');
    expect(config.dataEncryption.activeKeyId).toBe('k1');
    expect(config.secretValues).toEqual(expect.arrayContaining(['test-link-secret-0123456789abcdef0123', `k1:${key}`]));
    expect(Object.keys(config)).not.toContain('secretValues');
    expect(() => loadConfig({ ...minimal, SENTRY_DSN: 'https://o1.ingest.sentry.io/42' })).toThrow('SENTRY_DSN must be a Sentry DSN');
    expect(() => loadConfig({ ...minimal, DATA_ENCRYPTION_KEYS: 'k1:short' })).toThrow('DATA_ENCRYPTION_KEYS: key "k1" must be 32 bytes');
  });
});

