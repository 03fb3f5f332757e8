import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { request } from 'undici';
import { HttpPeer, type PeerResponse, type ReceivedRequest } from './http-peer';

/** SendGrid's error body: `{"errors":[{"message","field","help"}]}` (api-reference "Mail Send errors"). */
export function sendgridError(status: number, message: string, field: string | null = null, headers: Record<string, string> = {}): PeerResponse {
  return { status, headers, body: { errors: [{ message, field, help: field ? `http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.${field}` : null }] } };
}

/** A 429 as SendGrid's rate-limit page shows it: X-RateLimit-* headers, the period ending at `resetAt` (epoch s). */
export function sendgridTooManyRequests(resetAt: number, limit = 600): PeerResponse {
  return sendgridError(429, 'too many requests', null, { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt) });
}

/** What the v3 Mail Send endpoint takes, as far as Herald uses it. */
export interface MailSendPayload {
  personalizations: Array<{ to: Array<{ email: string; name?: string }>; custom_args?: Record<string, string>; subject?: string }>;
  from: { email: string; name?: string };
  subject?: string;
  content?: Array<{ type: string; value: string }>;
  categories?: string[];
  custom_args?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface AcceptedMail {
  messageId: string;
  payload: MailSendPayload;
  at: number;
}

/** One event of SendGrid's Event Webhook, as posted: custom arguments are merged in as top-level keys. */
export type SendgridEvent = Record<string, unknown> & { event: string; email: string; timestamp: number; sg_event_id: string };

const RESERVED_HEADERS = ['x-sg-id', 'x-sg-eid', 'received', 'dkim-signature', 'content-type', 'content-transfer-encoding', 'to', 'from', 'subject', 'reply-to', 'cc', 'bcc'];

/**
 * Stands in for SendGrid: `POST /v3/mail/send` with a Bearer API key, checked as the Mail Send reference documents it
 * (202 with an empty body and X-Message-Id; 400 naming the field; 401 for an unknown key; 403 for an unverified sender;
 * 413 past the size limit), and the signed Event Webhook: an ECDSA P-256 signature over the
 * X-Twilio-Email-Event-Webhook-Timestamp header followed by the raw body, whose public key (base64 DER, as SendGrid's
 * settings show it) is `publicKey`. `fail` answers in place of the checks (a 429 or 5xx of the test's choosing).
 */
export class SendgridPeer {
  readonly accepted: AcceptedMail[] = [];
  /** Answers a request instead of the normal handling when it returns a response. */
  fail: ((req: ReceivedRequest) => PeerResponse | null) | null = null;
  readonly publicKey: string;
  private readonly privateKey: KeyObject;

  private constructor(
    readonly http: HttpPeer,
    private readonly options: { apiKey: string; verifiedSenders: string[]; maxBytes: number },
    keys: { publicKey: KeyObject; privateKey: KeyObject },
  ) {
    this.publicKey = keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    this.privateKey = keys.privateKey;
  }

  static async start(options: { apiKey: string; verifiedSenders: string[]; maxBytes?: number }): Promise<SendgridPeer> {
    let peer: SendgridPeer | null = null;
    const http = await HttpPeer.start((req) => peer!.answer(req));
    peer = new SendgridPeer(http, { maxBytes: 30 * 1024 * 1024, ...options }, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
    return peer;
  }

  get url(): string {
    return this.http.url;
  }

  get received(): ReceivedRequest[] {
    return this.http.received;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private answer(req: ReceivedRequest): PeerResponse {
    if (req.method !== 'POST' || req.url !== '/v3/mail/send') return sendgridError(404, 'resource not found');
    if (req.headers.authorization !== `Bearer ${this.options.apiKey}`) return sendgridError(401, 'The provided authorization grant is invalid, expired, or revoked');
    const failure = this.fail?.(req);
    if (failure) return failure;
    if (req.body.length > this.options.maxBytes) return sendgridError(413, 'The JSON payload you have included in your request is too large.');
    let payload: MailSendPayload;
    try {
      payload = JSON.parse(req.text) as MailSendPayload;
    } catch {
      return sendgridError(400, 'Bad Request');
    }
    const invalid = this.invalidField(payload);
    if (invalid) return sendgridError(400, invalid.message, invalid.field);
    if (!this.options.verifiedSenders.includes(payload.from.email.toLowerCase())) {
      return sendgridError(403, 'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.', 'from');
    }
    const messageId = randomBytes(16).toString('base64url').slice(0, 22);
    this.accepted.push({ messageId, payload, at: Math.floor(Date.now() / 1000) });
    return { status: 202, headers: { 'x-message-id': messageId } };
  }

  /** The checks of the Mail Send errors page that Herald's payload could fail. */
  private invalidField(p: MailSendPayload): { field: string; message: string } | null {
    const address = /^[^\s@]+@[^\s@]+$/;
    if (!Array.isArray(p.personalizations) || p.personalizations.length === 0) return { field: 'personalizations', message: 'You must have at least one personalization.' };
    for (const [i, pz] of p.personalizations.entries()) {
      if (!Array.isArray(pz.to) || pz.to.length === 0) return { field: `personalizations.${i}.to`, message: 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.' };
      if (pz.to.some((t) => !address.test(t.email ?? ''))) return { field: `personalizations.${i}.to`, message: 'Does not contain a valid address.' };
    }
    if (!p.from || !address.test(p.from.email ?? '')) return { field: 'from.email', message: 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.' };
    if (!p.subject && p.personalizations.some((pz) => !pz.subject)) return { field: 'subject', message: 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.' };
    if (!Array.isArray(p.content) || p.content.length === 0) return { field: 'content', message: 'Unless a valid template_id is provided, the content parameter is required.' };
    if (p.content.some((c) => typeof c.value !== 'string' || c.value.length === 0)) return { field: 'content.0.value', message: 'The content value must be a string at least one character in length.' };
    if (p.content.length > 1 && p.content[0].type !== 'text/plain' && p.content.some((c) => c.type === 'text/plain')) return { field: 'content', message: 'If present, text/plain content must be first.' };
    if (p.categories !== undefined) {
      if (!Array.isArray(p.categories) || p.categories.length > 10) return { field: 'categories', message: 'You may not have more than 10 categories per request.' };
      if (p.categories.some((c) => typeof c !== 'string' || c.length > 255)) return { field: 'categories', message: 'A category cannot have more than 255 characters.' };
    }
    for (const args of [p.custom_args, ...p.personalizations.map((pz) => pz.custom_args)]) {
      if (args && Object.values(args).some((v) => typeof v !== 'string')) return { field: 'custom_args', message: 'Invalid type. Expected: string, given: integer.' };
    }
    if (p.headers && Object.keys(p.headers).some((h) => RESERVED_HEADERS.includes(h.toLowerCase()))) return { field: 'headers', message: 'The following header is reserved and cannot be set.' };
    return null;
  }

  /**
   * An event about an accepted message as the Event Webhook carries it: the message's custom arguments merged in,
   * its categories as `category`, and sg_message_id as the X-Message-Id followed by the filter suffix.
   */
  event(mail: AcceptedMail, event: string, extra: Record<string, unknown> = {}): SendgridEvent {
    const personalization = mail.payload.personalizations[0];
    return {
      email: personalization.to[0].email,
      timestamp: Math.floor(Date.now() / 1000),
      'smtp-id': `<${mail.messageId}@ismtpd0001p1mdw1.sendgrid.net>`,
      event,
      ...(mail.payload.categories ? { category: mail.payload.categories } : {}),
      sg_event_id: randomBytes(16).toString('base64url'),
      sg_message_id: `${mail.messageId}.filterdrecv-5b4cdc8bbc-abcde-1-6537A1B2-3.0`,
      ...mail.payload.custom_args,
      ...personalization.custom_args,
      ...extra,
    };
  }

  /** Posts `events` to `url` as the signed Event Webhook does; answers Herald's status and body. */
  async postEvents(url: string, events: SendgridEvent[], options: { timestamp?: number } = {}): Promise<{ status: number; body: unknown }> {
    const body = JSON.stringify(events);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = sign('sha256', Buffer.from(timestamp + body), this.privateKey).toString('base64');
    const res = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'SendGrid Event API',
        'x-twilio-email-event-webhook-signature': signature,
        'x-twilio-email-event-webhook-timestamp': timestamp,
      },
      body,
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : null };
  }
}
