import { hostname } from 'node:os';
import { loadConfig } from './load-config';

describe('SMTP identity settings', () => {
  const base = { DATABASE_URL: 'postgres://h/db', AWS_REGION: 'eu-west-1', SMTP_URL: 'smtp://mail:587', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://herald.example.com' };

  it('takes the EHLO name and the Message-ID domain from EMAIL_FROM by default', () => {
    const { email } = loadConfig({ ...base, EMAIL_FROM: 'Herald <no-reply@mail.example.com>' });
    expect(email.ehloName).toBe('mail.example.com');
    expect(email.messageIdDomain).toBe('mail.example.com');
    expect(loadConfig({ ...base, EMAIL_FROM: 'alerts@example.org' }).email.ehloName).toBe('example.org');
  });

  it('uses SMTP_EHLO_NAME and SMTP_MESSAGE_ID_DOMAIN when given', () => {
    const { email } = loadConfig({ ...base, EMAIL_FROM: 'a@example.com', SMTP_EHLO_NAME: 'out-1.example.net', SMTP_MESSAGE_ID_DOMAIN: 'ids.example.com' });
    expect(email).toMatchObject({ ehloName: 'out-1.example.net', messageIdDomain: 'ids.example.com' });
  });

  it("falls back to the machine's host name where no sender is configured", () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://h/db', AWS_REGION: 'eu-west-1', HERALD_ROLES: 'api', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://herald.example.com' });
    expect(config.email.ehloName).toBe(hostname());
  });

  it('refuses a value that is not a domain name', () => {
    const attempt = () => loadConfig({ ...base, EMAIL_FROM: 'a@example.com', SMTP_EHLO_NAME: 'bad name', SMTP_MESSAGE_ID_DOMAIN: 'x@y' });
    expect(attempt).toThrow('SMTP_EHLO_NAME must be a domain name such as mail.example.com (got "bad name")');
    expect(attempt).toThrow('SMTP_MESSAGE_ID_DOMAIN must be a domain name such as mail.example.com (got "x@y")');
  });

  it('puts SMTP_PASSWORD into SMTP_URL, so that the password can be kept apart from the address', () => {
    const { email } = loadConfig({ ...base, EMAIL_FROM: 'a@example.com', SMTP_URL: 'smtp://herald@mail:587', SMTP_PASSWORD: 'p@ss:w/rd#1' });
    const url = new URL(email.smtpUrl);
    expect([url.username, decodeURIComponent(url.password), url.host]).toEqual(['herald', 'p@ss:w/rd#1', 'mail:587']);
    expect(() => loadConfig({ ...base, EMAIL_FROM: 'a@example.com', SMTP_PASSWORD: 'pw' })).toThrow('SMTP_PASSWORD needs a user name in SMTP_URL');
  });
});
