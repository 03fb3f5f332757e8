import { makeSigningCertificate, signSnsMessage } from '../../../../test/support/sns-signing';
import { DEFAULT_SNS_CERT_URL_PATTERN, isTrustedCertUrl, snsStringToSign, verifySnsMessage, type SnsMessage } from './sns-message';

describe('SNS message signatures', () => {
  const { certPem, keyPem } = makeSigningCertificate();
  const base: Omit<SnsMessage, 'Signature'> = {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-events',
    Message: '{"eventType":"Delivery"}',
    Timestamp: '2026-01-01T12:00:00.000Z',
    SignatureVersion: '2',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem',
  };

  it('builds the documented string to sign (Subject only when present)', () => {
    const s = snsStringToSign({ ...base, Signature: '' });
    expect(s).toBe(`Message\n${base.Message}\nMessageId\n${base.MessageId}\nTimestamp\n${base.Timestamp}\nTopicArn\n${base.TopicArn}\nType\nNotification\n`);
    expect(snsStringToSign({ ...base, Subject: 'Hi', Signature: '' })).toContain('MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nHi\nTimestamp');
  });

  it('verifies version 2 and version 1 signatures with the certificate, and refuses tampering', () => {
    expect(verifySnsMessage(signSnsMessage(base, keyPem), certPem)).toEqual({ ok: true });
    expect(verifySnsMessage(signSnsMessage({ ...base, SignatureVersion: '1' }, keyPem), certPem)).toEqual({ ok: true });
    const tampered = { ...signSnsMessage(base, keyPem), Message: '{"eventType":"Bounce"}' };
    expect(verifySnsMessage(tampered, certPem)).toEqual({ ok: false, reason: 'the signature does not match' });
    const other = makeSigningCertificate();
    expect(verifySnsMessage(signSnsMessage(base, other.keyPem), certPem).ok).toBe(false);
  });

  it('refuses a certificate outside its validity period, or one that cannot be read', () => {
    const signed = signSnsMessage(base, keyPem);
    expect(verifySnsMessage(signed, certPem, new Date(Date.now() + 3 * 86_400_000))).toEqual({ ok: false, reason: 'the signing certificate is not valid now' });
    expect(verifySnsMessage(signed, 'not a certificate').ok).toBe(false);
  });

  it('trusts only certificate URLs matching the configured pattern', () => {
    expect(isTrustedCertUrl('https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem', DEFAULT_SNS_CERT_URL_PATTERN)).toBe(true);
    expect(isTrustedCertUrl('http://sns.us-east-1.amazonaws.com/x.pem', DEFAULT_SNS_CERT_URL_PATTERN)).toBe(false);
    expect(isTrustedCertUrl('https://sns.us-east-1.amazonaws.com.evil.example/x.pem', DEFAULT_SNS_CERT_URL_PATTERN)).toBe(false);
    expect(isTrustedCertUrl('https://evil.example/sns.us-east-1.amazonaws.com/x.pem', DEFAULT_SNS_CERT_URL_PATTERN)).toBe(false);
    expect(isTrustedCertUrl('http://127.0.0.1:4000/cert.pem', '^http://127\\.0\\.0\\.1:4000/')).toBe(true);
  });
});
