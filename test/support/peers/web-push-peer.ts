import { createDecipheriv, createECDH, createHmac, randomBytes } from 'node:crypto';
import { generateVAPIDKeys } from 'web-push';
import { HttpPeer } from './http-peer';

/** What a browser hands out: an endpoint at its push service and the keys that encrypt payloads for it. */
export function browserSubscription(endpoint: string): { endpoint: string; keys: { p256dh: string; auth: string } } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { endpoint, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
}

export const vapidKeys = (): { publicKey: string; privateKey: string } => generateVAPIDKeys();

/** A browser push service (RFC 8030): POST to the subscription endpoint, 201 Created with a Location. */
export function startPushService(): Promise<HttpPeer> {
  let n = 0;
  return HttpPeer.start(() => ({ status: 201, headers: { location: `/messages/${++n}` } }));
}

/**
 * A browser's side of web push, for a push service stand-in: a subscription whose keys it holds, and the decryption
 * a user agent applies to what arrives (RFC 8291 with the aes128gcm content coding of RFC 8188, one record).
 */
export function userAgentKeys(endpoint: string): { subscription: { endpoint: string; keys: { p256dh: string; auth: string } }; decrypt(body: Buffer): string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const uaPublic = ecdh.getPublicKey();
  const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();
  return {
    subscription: { endpoint, keys: { p256dh: uaPublic.toString('base64url'), auth: auth.toString('base64url') } },
    decrypt(body) {
      const salt = body.subarray(0, 16);
      const idLength = body[20];
      const asPublic = body.subarray(21, 21 + idLength);
      const record = body.subarray(21 + idLength);
      const secret = ecdh.computeSecret(asPublic);
      const ikm = hmac(hmac(auth, secret), Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic, Buffer.from([1])]));
      const prk = hmac(salt, ikm);
      const key = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
      const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
      const decipher = createDecipheriv('aes-128-gcm', key, nonce);
      decipher.setAuthTag(record.subarray(record.length - 16));
      const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
      // The last record ends with the delimiter 2, then zero padding.
      let end = padded.length - 1;
      while (end > 0 && padded[end] === 0) end--;
      return padded.subarray(0, end).toString('utf8');
    },
  };
}
