import { parseRateLimit, type RateLimit } from '../../domain/routing/token-bucket';
import type { Channel } from '../../domain/notification/channel';
import { envReader, type Env } from './env-reader';

export const EMAIL_PROVIDER_NAMES = ['smtp', 'ses', 'sendgrid'] as const;
export const SMS_PROVIDER_NAMES = ['twilio', 'sns', 'vonage'] as const;
export const PUSH_PROVIDER_NAMES = ['fcm', 'apns'] as const;
export const CHAT_PROVIDER_NAMES = ['slack', 'webhook'] as const;
/** Every provider name; a rate limit may be set for each (`<NAME>_RATE_LIMIT`). */
export const PROVIDER_NAMES = [...EMAIL_PROVIDER_NAMES, ...SMS_PROVIDER_NAMES, ...PUSH_PROVIDER_NAMES, 'webpush', ...CHAT_PROVIDER_NAMES, 'inbox'] as const;

/**
 * The providers each channel's worker calls, as configured, in routing order. In-app notifications are written to
 * Herald's own inbox without a provider call, so that channel has none.
 */
export function providersByChannel(c: ChannelConfig): Record<Channel, string[]> {
  return {
    email: c.emailProviders,
    sms: c.sms.providers,
    push: c.push.providers,
    webpush: c.webPush.enabled ? ['webpush'] : [],
    chat: c.chat.providers,
    inapp: [],
  };
}

/** Provider settings of every channel. Values named as secrets are never logged nor returned by the API. */
export interface ChannelConfig {
  routing: {
    /** Consecutive transient failures that open a provider's circuit. */
    breakerThreshold: number;
    /** How long an open circuit stays open before one trial call is let through. */
    breakerCooldownMs: number;
    /**
     * How often a worker process writes the state of its breakers to the database (also at once on a change), for
     * GET /v1/providers/health; a report older than three of these is ignored.
     */
    breakerHeartbeatMs: number;
    /** How long a send may wait for a rate-limit token before the router moves on to the next provider. */
    rateLimitMaxWaitMs: number;
    /** Per provider name: its quota. Absent means unlimited. */
    rateLimits: Record<string, RateLimit>;
    /** Time limit of one HTTP provider call; a call that times out after the request was sent is `unknown`. */
    requestTimeoutMs: number;
  };
  emailProviders: string[];
  ses: { endpoint: string | null; region: string; from: string; configurationSet: string | null };
  sendgrid: { baseUrl: string; apiKey: string; from: Mailbox };
  sms: { providers: string[]; defaultRegion: string };
  twilio: { baseUrl: string; accountSid: string; authToken: string; from: string | null; messagingServiceSid: string | null };
  sns: { endpoint: string | null; region: string; senderId: string | null; smsType: 'Transactional' | 'Promotional' };
  /** The Vonage (Nexmo) SMS API. */
  vonage: { baseUrl: string; apiKey: string; apiSecret: string; from: string };
  push: { providers: string[] };
  fcm: { baseUrl: string; projectId: string; accessToken: string | null; credentialsFile: string | null; serviceAccount: Record<string, unknown> | null };
  apns: { baseUrl: string; keyId: string; teamId: string; privateKey: string; topic: string };
  webPush: { enabled: boolean; publicKey: string; privateKey: string; subject: string; ttlSeconds: number };
  chat: { providers: string[]; webhookSecret: string | null };
  inbox: { pageSize: number; heartbeatMs: number };
}

/** An address with an optional display name, as "Herald <no-reply@example.com>" or "no-reply@example.com". */
export interface Mailbox {
  email: string;
  name: string | null;
}

export function parseMailbox(value: string): Mailbox | null {
  const named = /^\s*"?([^"<>]*?)"?\s*<([^\s<>@]+@[^\s<>@]+)>\s*$/.exec(value);
  if (named) return { email: named[2], name: named[1] || null };
  const bare = /^\s*([^\s<>@]+@[^\s<>@]+)\s*$/.exec(value);
  return bare ? { email: bare[1], name: null } : null;
}

/** Reads the channel settings; every problem is added to `problems` (names only, never secret values). */
export function loadChannelConfig(env: Env, problems: string[], defaults: { region: string; emailFrom: string }): ChannelConfig {
  const str = (name: string, fallback = ''): string => env[name]?.trim() || fallback;
  const required = (name: string, why: string): string => {
    const v = str(name);
    if (!v) problems.push(`${name} is required ${why}`);
    return v;
  };
  const list = <T extends string>(name: string, known: readonly T[], fallback: string): string[] => {
    const items = str(name, fallback).split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = items.filter((i) => !(known as readonly string[]).includes(i));
    if (unknown.length) problems.push(`${name}: unknown provider(s) ${unknown.join(', ')}; known are ${known.join(', ')}`);
    if (new Set(items).size !== items.length) problems.push(`${name} lists a provider twice`);
    return items.filter((i) => (known as readonly string[]).includes(i));
  };
  const { int, duration } = envReader(env, problems);
  const httpUrl = (name: string, fallback: string): string => {
    const v = str(name, fallback);
    try {
      if (!['http:', 'https:'].includes(new URL(v).protocol)) problems.push(`${name} must be an http(s) URL`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return v.replace(/\/+$/, '');
  };
  const optionalUrl = (name: string): string | null => (str(name) ? httpUrl(name, '') : null);

  const rateLimits: Record<string, RateLimit> = {};
  for (const provider of PROVIDER_NAMES) {
    const name = `${provider.toUpperCase()}_RATE_LIMIT`;
    const raw = str(name);
    if (!raw) continue;
    const parsed = parseRateLimit(raw);
    if (parsed) rateLimits[provider] = parsed;
    else problems.push(`${name} must be a rate such as 10/s, 600/m or 36000/h (got "${raw}")`);
  }

  const emailProviders = list('EMAIL_PROVIDERS', EMAIL_PROVIDER_NAMES, 'smtp');
  const smsProviders = list('SMS_PROVIDERS', SMS_PROVIDER_NAMES, '');
  const pushProviders = list('PUSH_PROVIDERS', PUSH_PROVIDER_NAMES, '');
  const chatProviders = list('CHAT_PROVIDERS', CHAT_PROVIDER_NAMES, 'slack');
  const uses = (providers: string[], name: string) => providers.includes(name);

  const twilioNeeded = uses(smsProviders, 'twilio') ? 'when SMS_PROVIDERS lists twilio' : null;
  const twilio = {
    baseUrl: httpUrl('TWILIO_BASE_URL', 'https://api.twilio.com'),
    accountSid: twilioNeeded ? required('TWILIO_ACCOUNT_SID', twilioNeeded) : str('TWILIO_ACCOUNT_SID'),
    authToken: twilioNeeded ? required('TWILIO_AUTH_TOKEN', twilioNeeded) : str('TWILIO_AUTH_TOKEN'),
    from: str('TWILIO_FROM') || null,
    messagingServiceSid: str('TWILIO_MESSAGING_SERVICE_SID') || null,
  };
  if (twilioNeeded && !twilio.from && !twilio.messagingServiceSid) problems.push('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required when SMS_PROVIDERS lists twilio');

  const vonageNeeded = uses(smsProviders, 'vonage') ? 'when SMS_PROVIDERS lists vonage' : null;
  const vonageRequired = (name: string) => (vonageNeeded ? required(name, vonageNeeded) : str(name));
  const vonage = {
    baseUrl: httpUrl('VONAGE_BASE_URL', 'https://rest.nexmo.com'),
    apiKey: vonageRequired('VONAGE_API_KEY'),
    apiSecret: vonageRequired('VONAGE_API_SECRET'),
    from: vonageRequired('VONAGE_FROM'),
  };

  const fcmNeeded = uses(pushProviders, 'fcm') ? 'when PUSH_PROVIDERS lists fcm' : null;
  const fcm = {
    baseUrl: httpUrl('FCM_BASE_URL', 'https://fcm.googleapis.com'),
    projectId: fcmNeeded ? required('FCM_PROJECT_ID', fcmNeeded) : str('FCM_PROJECT_ID'),
    accessToken: str('FCM_ACCESS_TOKEN') || null,
    credentialsFile: str('FCM_CREDENTIALS_FILE') || str('GOOGLE_APPLICATION_CREDENTIALS') || null,
    serviceAccount: serviceAccountJson(str('FCM_SERVICE_ACCOUNT_JSON'), problems),
  };
  const apnsNeeded = uses(pushProviders, 'apns') ? 'when PUSH_PROVIDERS lists apns' : null;
  const apnsRequired = (name: string) => (apnsNeeded ? required(name, apnsNeeded) : str(name));
  const apns = {
    baseUrl: httpUrl('APNS_BASE_URL', 'https://api.push.apple.com'),
    keyId: apnsRequired('APNS_KEY_ID'),
    teamId: apnsRequired('APNS_TEAM_ID'),
    // A PEM (.p8) key, given inline with \n escapes or base64-encoded.
    privateKey: decodePem(apnsRequired('APNS_PRIVATE_KEY')),
    topic: apnsRequired('APNS_TOPIC'),
  };
  if (apnsNeeded && apns.privateKey && !apns.privateKey.includes('PRIVATE KEY')) problems.push('APNS_PRIVATE_KEY must be a PEM private key (inline or base64)');

  const webPush = {
    enabled: Boolean(str('VAPID_PUBLIC_KEY') && str('VAPID_PRIVATE_KEY')),
    publicKey: str('VAPID_PUBLIC_KEY'),
    privateKey: str('VAPID_PRIVATE_KEY'),
    subject: str('VAPID_SUBJECT', 'mailto:ops@example.com'),
    ttlSeconds: int('WEBPUSH_TTL_SECONDS', 24 * 3600, 0),
  };
  if (webPush.enabled && !/^(mailto:|https:)/.test(webPush.subject)) problems.push('VAPID_SUBJECT must be a mailto: or https: URL');

  const sesFrom = str('SES_FROM', defaults.emailFrom);
  if (uses(emailProviders, 'ses') && !sesFrom) problems.push('SES_FROM (or EMAIL_FROM) is required when EMAIL_PROVIDERS lists ses');

  const sendgridNeeded = uses(emailProviders, 'sendgrid') ? 'when EMAIL_PROVIDERS lists sendgrid' : null;
  const sendgridFromText = str('SENDGRID_FROM', defaults.emailFrom);
  const sendgridFrom = parseMailbox(sendgridFromText);
  if (sendgridNeeded && !sendgridFromText) problems.push('SENDGRID_FROM (or EMAIL_FROM) is required when EMAIL_PROVIDERS lists sendgrid');
  else if (sendgridNeeded && !sendgridFrom) problems.push('SENDGRID_FROM must be an email address, optionally with a name: "Herald <no-reply@example.com>"');
  const sendgrid = {
    baseUrl: httpUrl('SENDGRID_BASE_URL', 'https://api.sendgrid.com'),
    apiKey: sendgridNeeded ? required('SENDGRID_API_KEY', sendgridNeeded) : str('SENDGRID_API_KEY'),
    from: sendgridFrom ?? { email: '', name: null },
  };

  const breakerHeartbeatMs = duration('PROVIDER_BREAKER_HEARTBEAT', 5_000);
  if (breakerHeartbeatMs < 100) problems.push('PROVIDER_BREAKER_HEARTBEAT must be at least 100ms');

  return {
    routing: {
      breakerThreshold: int('PROVIDER_BREAKER_THRESHOLD', 5, 1),
      breakerCooldownMs: duration('PROVIDER_BREAKER_COOLDOWN', 30_000),
      breakerHeartbeatMs,
      rateLimitMaxWaitMs: duration('PROVIDER_RATE_LIMIT_MAX_WAIT', 1_000),
      rateLimits,
      requestTimeoutMs: duration('PROVIDER_REQUEST_TIMEOUT', 10_000),
    },
    emailProviders,
    ses: { endpoint: optionalUrl('SES_ENDPOINT'), region: str('SES_REGION', defaults.region), from: sesFrom, configurationSet: str('SES_CONFIGURATION_SET') || null },
    sendgrid,
    sms: { providers: smsProviders, defaultRegion: str('SMS_DEFAULT_REGION', 'US').toUpperCase() },
    twilio,
    sns: {
      endpoint: optionalUrl('SNS_ENDPOINT'),
      region: str('SNS_REGION', defaults.region),
      senderId: str('SNS_SENDER_ID') || null,
      smsType: str('SNS_SMS_TYPE', 'Transactional') === 'Promotional' ? 'Promotional' : 'Transactional',
    },
    vonage,
    push: { providers: pushProviders },
    fcm,
    apns,
    webPush,
    chat: {
      providers: chatProviders,
      webhookSecret: uses(chatProviders, 'webhook') ? required('CHAT_WEBHOOK_SECRET', 'when CHAT_PROVIDERS lists webhook') : str('CHAT_WEBHOOK_SECRET') || null,
    },
    inbox: { pageSize: int('INBOX_PAGE_SIZE', 20, 1), heartbeatMs: duration('INBOX_SSE_HEARTBEAT', 15_000) },
  };
}

function decodePem(value: string): string {
  if (!value) return '';
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  return Buffer.from(value, 'base64').toString('utf8');
}

/** A Google service account key file's content (JSON), as Secrets Manager may hold it. */
function serviceAccountJson(value: string, problems: string[]): Record<string, unknown> | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && typeof (parsed as Record<string, unknown>).private_key === 'string') return parsed as Record<string, unknown>;
  } catch {
    // reported below, without the value
  }
  problems.push('FCM_SERVICE_ACCOUNT_JSON must be a service account key (JSON with a private_key)');
  return null;
}
