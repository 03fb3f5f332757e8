import { ConfigError, loadConfig } from './load-config';

const base = { HERALD_ROLES: 'api', DATABASE_URL: 'postgres://h@127.0.0.1/x', AWS_REGION: 'us-east-1', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://herald.test' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
}

describe('channel configuration', () => {
  it('defaults to SMTP for email, Slack for chat, and no SMS or push provider', () => {
    const config = loadConfig(base);
    expect(config.channels.emailProviders).toEqual(['smtp']);
    expect(config.channels.sms.providers).toEqual([]);
    expect(config.channels.push.providers).toEqual([]);
    expect(config.channels.chat.providers).toEqual(['slack']);
    expect(config.channels.webPush.enabled).toBe(false);
  });

  it('names every missing credential of the listed providers, and unknown providers, in one error', () => {
    const problems = problemsOf({ SMS_PROVIDERS: 'twilio,vonage,plivo', PUSH_PROVIDERS: 'fcm,apns', CHAT_PROVIDERS: 'webhook' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('SMS_PROVIDERS: unknown provider(s) plivo'),
        expect.stringContaining('VONAGE_API_KEY is required when SMS_PROVIDERS lists vonage'),
        expect.stringContaining('VONAGE_API_SECRET is required'),
        expect.stringContaining('VONAGE_FROM is required'),
        expect.stringContaining('TWILIO_ACCOUNT_SID is required'),
        expect.stringContaining('TWILIO_AUTH_TOKEN is required'),
        expect.stringContaining('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID'),
        expect.stringContaining('FCM_PROJECT_ID is required'),
        expect.stringContaining('APNS_KEY_ID is required'),
        expect.stringContaining('APNS_PRIVATE_KEY is required'),
        expect.stringContaining('CHAT_WEBHOOK_SECRET is required'),
      ]),
    );
  });

  it('checks the Vonage signature method and reads the Vonage settings', () => {
    expect(problemsOf({ VONAGE_SIGNATURE_SECRET: 'sig-secret', VONAGE_SIGNATURE_METHOD: 'sha3' })).toEqual([
      'VONAGE_SIGNATURE_METHOD must be one of md5hash, md5, sha1, sha256, sha512 (got "sha3")',
    ]);
    expect(problemsOf({ VONAGE_BASE_URL: 'rest.nexmo.com' })).toEqual(['VONAGE_BASE_URL is not a valid URL']);
    const config = loadConfig({ ...base, SMS_PROVIDERS: 'vonage', VONAGE_API_KEY: 'k', VONAGE_API_SECRET: 's', VONAGE_FROM: 'Herald', VONAGE_SIGNATURE_SECRET: 'sig' });
    expect(config.channels.vonage).toEqual({ baseUrl: 'https://rest.nexmo.com', apiKey: 'k', apiSecret: 's', from: 'Herald' });
    expect(config.webhooks).toMatchObject({ vonageSignatureSecret: 'sig', vonageSignatureMethod: 'md5hash' });
  });

  it('never repeats a secret value in its error messages', () => {
    const problems = problemsOf({ APNS_PRIVATE_KEY: 'not-a-key-sup3rsecret', PUSH_PROVIDERS: 'apns', TWILIO_RATE_LIMIT: 'lots' });
    expect(problems.join('\n')).not.toContain('sup3rsecret');
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('APNS_PRIVATE_KEY must be a PEM private key'), expect.stringContaining('TWILIO_RATE_LIMIT must be a rate')]));
  });

  it('reads per-provider rate limits and the breaker settings', () => {
    const config = loadConfig({ ...base, TWILIO_RATE_LIMIT: '600/m', PROVIDER_BREAKER_THRESHOLD: '3', PROVIDER_BREAKER_COOLDOWN: '10s' });
    expect(config.channels.routing).toMatchObject({ breakerThreshold: 3, breakerCooldownMs: 10_000, rateLimits: { twilio: { ratePerSecond: 10, capacity: 10 } } });
  });

  it('does not need SMTP settings when email goes through SES only', () => {
    expect(problemsOf({ HERALD_ROLES: 'worker:email', EMAIL_PROVIDERS: 'ses', SES_FROM: 'no-reply@example.com' })).toEqual([]);
    expect(problemsOf({ HERALD_ROLES: 'worker:email' })).toEqual(expect.arrayContaining([expect.stringContaining('SMTP_URL is required')]));
  });

  it('SendGrid: needs an API key and a sender when listed, reads "Name <address>", and defaults to the public API', () => {
    expect(problemsOf({ HERALD_ROLES: 'worker:email', EMAIL_PROVIDERS: 'ses,sendgrid', SES_FROM: 'no-reply@example.com' })).toEqual([
      'SENDGRID_FROM (or EMAIL_FROM) is required when EMAIL_PROVIDERS lists sendgrid',
      'SENDGRID_API_KEY is required when EMAIL_PROVIDERS lists sendgrid',
    ]);
    expect(problemsOf({ EMAIL_PROVIDERS: 'sendgrid', SENDGRID_API_KEY: 'SG.x', SENDGRID_FROM: 'Herald no-reply' })).toEqual([
      'SENDGRID_FROM must be an email address, optionally with a name: "Herald <no-reply@example.com>"',
    ]);
    expect(problemsOf({ EMAIL_PROVIDERS: 'sendgrid', SENDGRID_API_KEY: 'SG.x', SENDGRID_FROM: 'a@b.test', SENDGRID_BASE_URL: 'ftp://x' })).toEqual(['SENDGRID_BASE_URL must be an http(s) URL']);
    const config = loadConfig({ ...base, EMAIL_PROVIDERS: 'ses,sendgrid', SENDGRID_API_KEY: 'SG.x', EMAIL_FROM: '"Acme Shop" <shop@acme.test>', SENDGRID_RATE_LIMIT: '100/s' });
    expect(config.channels.emailProviders).toEqual(['ses', 'sendgrid']);
    expect(config.channels.sendgrid).toEqual({ baseUrl: 'https://api.sendgrid.com', apiKey: 'SG.x', from: { email: 'shop@acme.test', name: 'Acme Shop' } });
    expect(config.channels.routing.rateLimits.sendgrid).toMatchObject({ ratePerSecond: 100 });
    expect(loadConfig({ ...base, EMAIL_PROVIDERS: 'sendgrid', SENDGRID_API_KEY: 'SG.x', SENDGRID_FROM: 'a@b.test', SENDGRID_BASE_URL: 'http://127.0.0.1:9/' }).channels.sendgrid).toMatchObject({
      baseUrl: 'http://127.0.0.1:9',
      from: { email: 'a@b.test', name: null },
    });
  });

  it('takes the FCM service account key as JSON (as Secrets Manager holds it), refusing anything else without echoing it', () => {
    const key = { type: 'service_account', project_id: 'p', client_email: 'h@p.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' };
    expect(loadConfig({ ...base, FCM_SERVICE_ACCOUNT_JSON: JSON.stringify(key) }).channels.fcm.serviceAccount).toEqual(key);
    expect(problemsOf({ FCM_SERVICE_ACCOUNT_JSON: 'not-json-s3cr3t' })).toEqual(['FCM_SERVICE_ACCOUNT_JSON must be a service account key (JSON with a private_key)']);
    expect(problemsOf({ FCM_SERVICE_ACCOUNT_JSON: '{"client_email":"x"}' })).toEqual(['FCM_SERVICE_ACCOUNT_JSON must be a service account key (JSON with a private_key)']);
  });
});

