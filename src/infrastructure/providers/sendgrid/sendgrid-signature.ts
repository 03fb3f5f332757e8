import { createPublicKey, verify } from 'node:crypto';

/**
 * SendGrid's signed event webhook: an ECDSA (P-256, SHA-256) signature over the timestamp header
 * followed by the raw request body. The verification key is the base64 DER (SPKI) public key shown in
 * the SendGrid settings. Headers: X-Twilio-Email-Event-Webhook-Signature and -Timestamp.
 */
export function verifySendgridSignature(publicKeyBase64: string, rawBody: Buffer | string, signatureBase64: string | undefined, timestamp: string | undefined): boolean {
  if (!publicKeyBase64 || !signatureBase64 || !timestamp) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
    const payload = Buffer.concat([Buffer.from(timestamp, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')]);
    return verify('sha256', payload, key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
