import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import type { SendResult } from '../../../domain/notification/send-result';
import { PushProvider, type OutgoingPush } from '../../../domain/ports/push-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { classifyNetworkError, failureOf, parseJson, type ProviderErrorKind } from '../http/provider-http';

/**
 * APNs reasons (developer.apple.com, "Handling notification responses from APNs") and what they mean.
 * Reasons not listed fall back on the status: 410 dead, 429 and 5xx transient, other 4xx permanent.
 */
const APNS_REASONS: Record<string, ProviderErrorKind> = {
  Unregistered: 'dead', // 410: the token is no longer active for the topic
  ExpiredToken: 'dead', // 410
  BadDeviceToken: 'permanent', // 400: malformed, or from the other environment (sandbox/production)
  DeviceTokenNotForTopic: 'permanent',
  PayloadTooLarge: 'permanent',
  BadTopic: 'permanent',
  ExpiredProviderToken: 'transient', // 403: our JWT is older than an hour; a fresh one is made
  InvalidProviderToken: 'transient', // 403: key id, team id or key is wrong (setup, not the message)
  MissingProviderToken: 'transient',
  TooManyProviderTokenUpdates: 'transient',
  TooManyRequests: 'transient', // 429: too many requests in a row to this device token (about the recipient)
  InternalServerError: 'transient', // 500
  ServiceUnavailable: 'transient', // 503
  Shutdown: 'transient',
};

export function classifyApns(status: number, reason: string | undefined, retryAfter: string | undefined): SendResult {
  const kind = (reason && APNS_REASONS[reason]) || (status === 410 ? 'dead' : status === 429 || status >= 500 ? 'transient' : 'permanent');
  const code = `apns_${reason ?? status}`;
  const message = `HTTP ${status}${reason ? ` ${reason}` : ''}`;
  const result = failureOf(kind, code, message, retryAfter);
  // APNs answers TooManyRequests for one device token that was sent to too often; others are unaffected.
  return reason === 'TooManyRequests' && result.outcome === 'transient' ? { ...result, scope: 'recipient' } : result;
}

/**
 * A stream that closed with no response: the connection went (a restart, a FIN) or the server reset the stream.
 * A stream reset with REFUSED_STREAM, or one closed by a GOAWAY that did not cover it, was not processed (RFC 9113
 * §8.7) and neither was a request the client had not finished writing: nothing was sent. Any other may have reached
 * APNs before the connection went, so the outcome is unknown.
 */
export function streamEndedWithoutAnswer(requestWritten: boolean, rstCode: number | undefined): SendResult {
  if (rstCode === constants.NGHTTP2_REFUSED_STREAM) return { outcome: 'transient', code: 'apns_refused_stream', message: 'APNs refused the stream before processing it; nothing was sent' };
  if (!requestWritten) return { outcome: 'transient', code: 'apns_unreachable', message: 'the connection closed before the request was written; nothing was sent' };
  return { outcome: 'unknown', code: 'apns_connection_lost', message: 'the stream ended with no answer after the request was written; APNs may have accepted the notification' };
}

const TOKEN_LIFETIME_MS = 50 * 60_000;

/**
 * Mobile push straight to APNs over HTTP/2 with token-based (JWT, ES256) authentication. The notification id is
 * the apns-id and the apns-collapse-id, so a repeated delivery replaces the shown notification; APNs itself does
 * not deduplicate, so `idempotent` stays false.
 */
@Injectable()
export class ApnsPushAdapter extends PushProvider implements OnApplicationShutdown {
  readonly name = 'apns';
  readonly platform = 'apns' as const;
  readonly idempotent = false;
  private session: ClientHttp2Session | null = null;
  private jwt: { value: string; madeAt: number } | null = null;
  private key: KeyObject | null = null;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  /** The provider token: reused for 50 minutes (APNs refuses tokens older than an hour and too-frequent renewals). */
  private providerToken(): string {
    const now = Date.now();
    if (this.jwt && now - this.jwt.madeAt < TOKEN_LIFETIME_MS) return this.jwt.value;
    const { keyId, teamId, privateKey } = this.config.channels.apns;
    this.key ??= createPrivateKey(privateKey);
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${b64({ alg: 'ES256', kid: keyId })}.${b64({ iss: teamId, iat: Math.floor(now / 1000) })}`;
    const signature = sign('sha256', Buffer.from(unsigned), { key: this.key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    this.jwt = { value: `${unsigned}.${signature}`, madeAt: now };
    return this.jwt.value;
  }

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.config.channels.apns.baseUrl);
    session.on('error', () => session.destroy());
    session.on('goaway', () => session.close());
    session.on('close', () => {
      if (this.session === session) this.session = null;
    });
    session.unref();
    this.session = session;
    return session;
  }

  private retire(session: ClientHttp2Session): void {
    if (this.session === session) this.session = null;
    if (!session.closed && !session.destroyed) session.close();
  }

  send(push: OutgoingPush): Promise<SendResult> {
    const { topic } = this.config.channels.apns;
    const body = JSON.stringify({
      aps: { alert: { title: push.content.title, body: push.content.body }, sound: 'default' },
      ...(push.content.data ?? {}),
      heraldNotificationId: push.notificationId,
    });
    return new Promise<SendResult>((resolve) => {
      let session: ClientHttp2Session;
      let token: string;
      try {
        session = this.connection();
        token = this.providerToken();
      } catch (err) {
        resolve({ outcome: 'transient', code: 'apns_setup_failed', message: (err as Error).message.slice(0, 500) });
        return;
      }
      const req = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: `/3/device/${encodeURIComponent(push.token)}`,
        authorization: `bearer ${token}`,
        'apns-topic': topic,
        'apns-push-type': 'alert',
        'apns-priority': '10',
        'apns-id': push.notificationId,
        'apns-collapse-id': push.notificationId,
        'content-type': 'application/json',
      });
      let status = 0;
      let headers: Record<string, string | string[] | undefined> = {};
      let data = '';
      let sent = false;
      req.setEncoding('utf8');
      // A timer of its own: a stream's inactivity timeout is not armed while its session waits for a silent server.
      const timer = setTimeout(() => {
        // A connection that let a request time out may be dead without knowing it (half-open, or silent for good):
        // new requests go on a new one, and this one ends once its other streams have.
        const neverConnected = session.connecting;
        this.retire(session);
        req.close(constants.NGHTTP2_CANCEL);
        if (neverConnected) resolve({ outcome: 'transient', code: 'apns_unreachable', message: 'no connection to APNs within the time limit; nothing was sent' });
        else resolve({ outcome: 'unknown', code: 'apns_timeout', message: 'no answer within the time limit; APNs may have accepted the notification' });
      }, this.config.channels.routing.requestTimeoutMs);
      req.once('close', () => clearTimeout(timer));
      req.on('response', (h) => {
        status = Number(h[constants.HTTP2_HEADER_STATUS]);
        headers = h;
      });
      req.on('data', (chunk: string) => (data += chunk));
      req.on('end', () => {
        if (status === 200) {
          resolve({ outcome: 'sent', providerMessageId: String(headers['apns-id'] ?? push.notificationId) });
          return;
        }
        if (status === 0) {
          resolve(streamEndedWithoutAnswer(sent, req.rstCode));
          return;
        }
        const reason = parseJson<{ reason?: string }>(data)?.reason;
        if (reason === 'ExpiredProviderToken') this.jwt = null;
        resolve(classifyApns(status, reason, headers['retry-after'] as string | undefined));
      });
      req.on('error', (err) => {
        if (status === 0 && req.rstCode === constants.NGHTTP2_REFUSED_STREAM) resolve(streamEndedWithoutAnswer(sent, req.rstCode));
        else resolve(sent || status ? classifyNetworkError('apns', err) : { outcome: 'transient', code: 'apns_unreachable', message: err.message.slice(0, 500) });
      });
      req.end(body, () => {
        sent = true;
      });
    });
  }

  onApplicationShutdown(): void {
    this.session?.close();
  }
}
