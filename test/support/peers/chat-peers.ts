import { createHmac } from 'node:crypto';
import { HttpPeer } from './http-peer';

/** A Slack incoming webhook: POST /services/... with a JSON message, answered 200 "ok"; errors are plain text. */
export function startSlackPeer(): Promise<HttpPeer> {
  return HttpPeer.start(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' }));
}

/** A receiver of Herald's signed webhooks. */
export function startWebhookReceiver(): Promise<HttpPeer> {
  return HttpPeer.start(() => ({ status: 204 }));
}

/** What a receiver does to check a request came from Herald. */
export function signatureIsValid(secret: string, timestamp: string, body: string, header: string): boolean {
  return header === `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
