import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { SendResult } from '../../../domain/notification/send-result';
import { ChatProvider, type OutgoingChat } from '../../../domain/ports/chat-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { callDestination, isHttpFailure, retryAfterMs } from '../http/provider-http';

/** The signature a receiver recomputes: HMAC-SHA256 of "<timestamp>.<raw body>" with the shared secret, hex. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Receiver answers: 2xx sent; 408, 425, 429 and 5xx transient (Retry-After honoured); other 4xx and any redirect
 * permanent. The receiver's body is never kept: it could be anything, read back by whoever reads attempts.
 * Each destination is its own receiver, so a transient failure is about that destination (the recipient): one
 * customer's endpoint being down must not stop Herald calling every other one.
 */
export function classifyWebhook(status: number, retryAfter: string | null): SendResult {
  const message = status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status} from the destination`;
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    return { outcome: 'transient', code: `webhook_${status}`, message, retryAfterMs: retryAfterMs(retryAfter), scope: 'recipient' };
  }
  return { outcome: 'permanent', code: `webhook_${status}`, message };
}

/**
 * A generic chat channel for anything that takes an HTTP POST (Teams, Discord relays, internal tools). Each request
 * carries X-Herald-Timestamp and X-Herald-Signature (v1=<hmac>) so the receiver can check it came from Herald, and
 * Idempotency-Key = the notification id, which receivers are asked to deduplicate on (hence `idempotent`).
 */
@Injectable()
export class SignedWebhookAdapter extends ChatProvider {
  readonly name = 'webhook';
  readonly type = 'webhook' as const;
  readonly idempotent = true;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async send(message: OutgoingChat): Promise<SendResult> {
    const secret = this.config.channels.chat.webhookSecret ?? '';
    const body = JSON.stringify({ notificationId: message.notificationId, text: message.content.text, blocks: message.content.blocks });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const answer = await callDestination(
      'webhook',
      message.url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': message.notificationId,
          'X-Herald-Timestamp': timestamp,
          'X-Herald-Signature': `v1=${webhookSignature(secret, timestamp, body)}`,
        },
        body,
      },
      this.config.channels.routing.requestTimeoutMs,
      this.config.outbound,
    );
    // An unreachable receiver is that destination's problem too (see classifyWebhook).
    if (isHttpFailure(answer)) return answer.outcome === 'transient' ? { ...answer, scope: 'recipient' } : answer;
    if (answer.status >= 200 && answer.status < 300) return { outcome: 'sent' };
    return classifyWebhook(answer.status, answer.headers.get('retry-after'));
  }
}
