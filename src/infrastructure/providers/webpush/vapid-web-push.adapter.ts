import { Injectable } from '@nestjs/common';
import { generateRequestDetails } from 'web-push';
import type { SendResult } from '../../../domain/notification/send-result';
import { WebPushProvider, type OutgoingWebPush } from '../../../domain/ports/web-push-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { callDestination, failureOf, isHttpFailure, type ProviderErrorKind } from '../http/provider-http';

/**
 * Push service answers (RFC 8030, RFC 8292 and the browser vendors' docs) and what they mean.
 * Statuses not listed: 429 and 5xx transient, other 4xx permanent.
 */
const WEB_PUSH_STATUSES: Record<number, ProviderErrorKind> = {
  404: 'dead', // the subscription does not exist
  410: 'dead', // the subscription expired or the user unsubscribed
  400: 'permanent', // malformed request
  413: 'permanent', // payload too large
  401: 'transient', // VAPID keys or subject refused: the setup, not the message
  403: 'transient',
  429: 'transient', // honour Retry-After
};

/** The push service's body is not kept: the endpoint is the subscriber's choice, so its answer is too. */
export function classifyWebPush(status: number, retryAfter: string | null): SendResult {
  const kind = WEB_PUSH_STATUSES[status] ?? (status >= 500 ? 'transient' : 'permanent');
  const code = `webpush_${status}`;
  const message = status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status} from the push service`;
  return failureOf(kind, code, message, retryAfter);
}

/**
 * Web push with VAPID: the `web-push` package encrypts the payload (aes128gcm) and signs the VAPID header; the
 * request itself goes out through Herald's HTTP client (time limit, error classification). The Topic header is
 * the notification id, so a repeated delivery replaces a message the push service still holds; a message already
 * delivered is not recalled, so `idempotent` stays false.
 */
@Injectable()
export class VapidWebPushAdapter extends WebPushProvider {
  readonly name = 'webpush';
  readonly idempotent = false;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async send(push: OutgoingWebPush): Promise<SendResult> {
    const { publicKey, privateKey, subject, ttlSeconds } = this.config.channels.webPush;
    const payload = JSON.stringify({ ...push.content, notificationId: push.notificationId });
    let details: ReturnType<typeof generateRequestDetails>;
    try {
      details = generateRequestDetails(push.subscription, payload, {
        vapidDetails: { subject, publicKey, privateKey },
        TTL: ttlSeconds,
        urgency: 'high',
        topic: push.notificationId.replace(/-/g, ''),
        contentEncoding: 'aes128gcm',
      });
    } catch (err) {
      // Bad subscription keys: this subscription can never be sent to.
      return { outcome: 'permanent', code: 'webpush_invalid_subscription', message: (err as Error).message.slice(0, 500) };
    }
    // The endpoint comes from the subscriber's browser: it goes through the same guard as any customer-given URL.
    const answer = await callDestination(
      'webpush',
      details.endpoint,
      { method: details.method, headers: details.headers as Record<string, string>, body: details.body ?? undefined },
      this.config.channels.routing.requestTimeoutMs,
      this.config.outbound,
    );
    if (isHttpFailure(answer)) return answer;
    if (answer.status >= 200 && answer.status < 300) return { outcome: 'sent', providerMessageId: answer.headers.get('location') ?? undefined };
    return classifyWebPush(answer.status, answer.headers.get('retry-after'));
  }
}
