import { Injectable } from '@nestjs/common';
import { applicationDefault, cert, type Credential } from 'firebase-admin/app';
import type { SendResult } from '../../../domain/notification/send-result';
import { PushProvider, type OutgoingPush } from '../../../domain/ports/push-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { callProvider, failureOf, isHttpFailure, parseJson, type ProviderErrorKind } from '../http/provider-http';

interface FcmErrorBody {
  error?: { code?: number; message?: string; status?: string; details?: Array<{ '@type'?: string; errorCode?: string }> };
}

/**
 * FCM HTTP v1 error codes (firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode) and what they mean.
 * `dead`: the token will never work again; it is removed from the recipient, not retried, not failed over.
 * Authentication and sender setup problems are transient: the message is fine, the setup is not.
 */
const FCM_ERRORS: Record<string, ProviderErrorKind> = {
  UNREGISTERED: 'dead', // the app was uninstalled or the token expired
  INVALID_ARGUMENT: 'permanent', // malformed message or token
  SENDER_ID_MISMATCH: 'permanent', // the token belongs to another Firebase project
  QUOTA_EXCEEDED: 'transient', // honour Retry-After
  UNAVAILABLE: 'transient', // honour Retry-After
  INTERNAL: 'transient',
  THIRD_PARTY_AUTH_ERROR: 'transient', // the APNs or web push credentials in Firebase are wrong
  UNAUTHENTICATED: 'transient', // our access token was refused
  PERMISSION_DENIED: 'transient',
};

export function classifyFcm(status: number, body: FcmErrorBody | null, retryAfter: string | null): SendResult {
  const fcmCode = body?.error?.details?.find((d) => d['@type']?.endsWith('FcmError'))?.errorCode ?? body?.error?.status;
  const kind = (fcmCode && FCM_ERRORS[fcmCode]) || (status === 429 || status >= 500 ? 'transient' : 'permanent');
  const code = `fcm_${(fcmCode ?? String(status)).toLowerCase()}`;
  const message = (body?.error?.message ?? `HTTP ${status}`).slice(0, 500);
  return failureOf(kind, code, message, retryAfter);
}

/**
 * Mobile push through FCM HTTP v1 (messages:send) to a configurable base URL. firebase-admin's messaging client
 * cannot be pointed elsewhere, so only the OAuth access token comes from Google's auth library (a service account
 * file via FCM_CREDENTIALS_FILE or GOOGLE_APPLICATION_CREDENTIALS, or workload identity); FCM_ACCESS_TOKEN sets a
 * fixed token instead. FCM v1 takes no idempotency key, so a send whose answer was lost is not repeated.
 */
@Injectable()
export class FcmPushAdapter extends PushProvider {
  readonly name = 'fcm';
  readonly platform = 'fcm' as const;
  readonly idempotent = false;
  private credential: Credential | null = null;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  private async accessToken(): Promise<string> {
    const { accessToken, credentialsFile, serviceAccount } = this.config.channels.fcm;
    if (accessToken) return accessToken;
    // firebase-admin mints the OAuth token from the service account (or the environment's default credentials)
    // and keeps it until shortly before it expires; the message itself goes out on the shared provider HTTP client.
    this.credential ??= serviceAccount ? cert(serviceAccount) : credentialsFile ? cert(credentialsFile) : applicationDefault();
    const { access_token: token } = await this.credential.getAccessToken();
    if (!token) throw new Error('no access token from Google credentials');
    return token;
  }

  async send(push: OutgoingPush): Promise<SendResult> {
    const { baseUrl, projectId } = this.config.channels.fcm;
    let token: string;
    try {
      token = await this.accessToken();
    } catch (err) {
      return { outcome: 'transient', code: 'fcm_auth_unavailable', message: (err as Error).message.slice(0, 500) };
    }
    const message = {
      token: push.token,
      notification: { title: push.content.title, body: push.content.body },
      data: { ...(push.content.data ?? {}), heraldNotificationId: push.notificationId },
      android: { priority: 'high' },
      // On iOS devices reached through FCM, a repeated delivery replaces the shown notification instead of adding one.
      apns: { headers: { 'apns-collapse-id': push.notificationId } },
    };
    const answer = await callProvider(
      'fcm',
      `${baseUrl}/v1/projects/${encodeURIComponent(projectId)}/messages:send`,
      { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ message }) },
      this.config.channels.routing.requestTimeoutMs,
    );
    if (isHttpFailure(answer)) return answer;
    if (answer.status >= 200 && answer.status < 300) return { outcome: 'sent', providerMessageId: parseJson<{ name?: string }>(answer.text)?.name };
    return classifyFcm(answer.status, parseJson<FcmErrorBody>(answer.text), answer.headers.get('retry-after'));
  }
}
