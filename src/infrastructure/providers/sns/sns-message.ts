import { X509Certificate, createVerify } from 'node:crypto';

/** An SNS HTTP(S) delivery, as posted to a subscribed endpoint. */
export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1' | '2';
  Signature: string;
  SigningCertURL: string;
  SubscribeURL?: string;
  Token?: string;
}

/** The real SNS certificate host; tests and private regions configure their own pattern. */
export const DEFAULT_SNS_CERT_URL_PATTERN = '^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/';

export function isSnsMessage(value: unknown): value is SnsMessage {
  const v = value as Partial<SnsMessage> | null;
  return (
    typeof v === 'object' && v !== null &&
    ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'].includes(v.Type as string) &&
    typeof v.MessageId === 'string' && typeof v.Signature === 'string' && typeof v.SigningCertURL === 'string' &&
    typeof v.Message === 'string' && typeof v.Timestamp === 'string' && typeof v.TopicArn === 'string'
  );
}

/** The string SNS signs: selected fields as "Name\nvalue\n", in the documented order per message type. */
export function snsStringToSign(m: SnsMessage): string {
  const fields: Array<keyof SnsMessage> =
    m.Type === 'Notification'
      ? ['Message', 'MessageId', ...(m.Subject !== undefined ? (['Subject'] as const) : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields.map((f) => `${f}\n${m[f] ?? ''}\n`).join('');
}

/** The certificate URL must be HTTPS (unless the pattern says otherwise) on a host the pattern allows. */
export function isTrustedCertUrl(url: string, pattern: string): boolean {
  try {
    const parsed = new URL(url);
    return new RegExp(pattern).test(url) && parsed.pathname.endsWith('.pem');
  } catch {
    return false;
  }
}

export type SnsVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Verifies an SNS message with the PEM certificate fetched from its SigningCertURL: the certificate
 * must be within its validity period and its key must verify the signature (SHA1withRSA for version 1,
 * SHA256withRSA for version 2).
 */
export function verifySnsMessage(m: SnsMessage, certificatePem: string, now: Date = new Date()): SnsVerdict {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificatePem);
  } catch {
    return { ok: false, reason: 'the signing certificate cannot be read' };
  }
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) return { ok: false, reason: 'the signing certificate is not valid now' };
  const algorithm = m.SignatureVersion === '2' ? 'RSA-SHA256' : m.SignatureVersion === '1' ? 'RSA-SHA1' : null;
  if (!algorithm) return { ok: false, reason: `unsupported SignatureVersion ${String(m.SignatureVersion)}` };
  const verifier = createVerify(algorithm);
  verifier.update(snsStringToSign(m), 'utf8');
  return verifier.verify(cert.publicKey, m.Signature, 'base64') ? { ok: true } : { ok: false, reason: 'the signature does not match' };
}
