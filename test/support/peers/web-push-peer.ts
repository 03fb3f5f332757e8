import { createECDH, randomBytes } from 'node:crypto';
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
