import { generateKeyPairSync, sign } from 'node:crypto';
import { verifySendgridSignature } from './sendgrid-signature';

describe('SendGrid signed event webhook', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyBase64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const body = '[{"email":"ada@example.com","event":"delivered","sg_event_id":"e1"}]';
  const timestamp = '1700000000';
  const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');

  it('accepts the ECDSA signature over timestamp + raw body', () => {
    expect(verifySendgridSignature(publicKeyBase64, body, signature, timestamp)).toBe(true);
    expect(verifySendgridSignature(publicKeyBase64, Buffer.from(body), signature, timestamp)).toBe(true);
  });

  it('refuses a changed body or timestamp, another key, a malformed key or missing headers', () => {
    expect(verifySendgridSignature(publicKeyBase64, body.replace('delivered', 'open'), signature, timestamp)).toBe(false);
    expect(verifySendgridSignature(publicKeyBase64, body, signature, '1700000001')).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(verifySendgridSignature(other, body, signature, timestamp)).toBe(false);
    expect(verifySendgridSignature('bm90IGEga2V5', body, signature, timestamp)).toBe(false);
    expect(verifySendgridSignature(publicKeyBase64, body, undefined, timestamp)).toBe(false);
    expect(verifySendgridSignature(publicKeyBase64, body, signature, undefined)).toBe(false);
  });
});
