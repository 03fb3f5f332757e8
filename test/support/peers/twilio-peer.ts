import { createHmac, randomBytes } from 'node:crypto';
import { HttpPeer, type PeerResponse, type ReceivedRequest } from './http-peer';
import { postCallback } from './provider-callback';

/** Twilio's error body (www.twilio.com/docs/usage/twilios-response): code, message, more_info, status. */
export function twilioError(status: number, code: number, message: string): PeerResponse {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

/** A message the peer created: its sid and the form parameters it was created with. */
export interface TwilioMessage {
  sid: string;
  params: Record<string, string>;
}

export type TwilioPeer = HttpPeer & {
  /** Messages created (201), in order. */
  messages: TwilioMessage[];
  /**
   * Posts the message's status callback to the StatusCallback URL it was created with, as Twilio does: form
   * parameters signed with X-Twilio-Signature (base64 HMAC-SHA1 with the auth token of the URL followed by
   * each parameter name and value in name order). `via` is where that URL's host leads (see postCallback).
   */
  postStatus(message: TwilioMessage, status: string, options: { via: string; errorCode?: number; authToken?: string }): Promise<{ status: number; body: unknown }>;
};

/** Twilio's request signature, written here apart from Herald's so that the two check each other. */
function sign(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Twilio's Messages resource: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, with HTTP basic
 * auth (account sid and auth token), answering 201 with the message (`status: queued`) or Twilio's error body.
 */
export async function startTwilioPeer(accountSid: string, authToken?: string): Promise<TwilioPeer> {
  const messages: TwilioMessage[] = [];
  const create = (req: ReceivedRequest): PeerResponse => {
    if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return twilioError(404, 20404, 'The requested resource was not found');
    if (authToken !== undefined && req.headers.authorization !== `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`) return twilioError(401, 20003, 'Authenticate');
    if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return twilioError(400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    const params = Object.fromEntries(new URLSearchParams(req.text));
    if (!params.To) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!params.From && !params.MessagingServiceSid) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!params.Body) return twilioError(400, 21602, 'Message body is required.');
    if (params.StatusCallback !== undefined && !/^https?:\/\/[^/_]+\//.test(params.StatusCallback)) return twilioError(400, 21609, 'Invalid StatusCallback');
    const sid = `SM${randomBytes(16).toString('hex')}`;
    messages.push({ sid, params });
    return {
      status: 201,
      body: {
        sid,
        account_sid: accountSid,
        to: params.To,
        from: params.From ?? null,
        messaging_service_sid: params.MessagingServiceSid ?? null,
        body: params.Body,
        status: 'queued',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        num_segments: '1',
        error_code: null,
        error_message: null,
        date_created: new Date().toUTCString(),
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      },
    };
  };
  const peer = await HttpPeer.start(create);
  const postStatus: TwilioPeer['postStatus'] = (message, status, options) => {
    const url = message.params.StatusCallback;
    if (!url) throw new Error(`message ${message.sid} was created without a StatusCallback`);
    const token = options.authToken ?? authToken;
    if (token === undefined) throw new Error('the peer has no auth token to sign with');
    const params: Record<string, string> = {
      MessageSid: message.sid,
      SmsSid: message.sid,
      AccountSid: accountSid,
      ...(message.params.From ? { From: message.params.From } : {}),
      ...(message.params.MessagingServiceSid ? { MessagingServiceSid: message.params.MessagingServiceSid } : {}),
      To: message.params.To,
      MessageStatus: status,
      SmsStatus: status,
      ApiVersion: '2010-04-01',
      ...(options.errorCode !== undefined ? { ErrorCode: String(options.errorCode) } : {}),
    };
    return postCallback(url, { form: params }, { 'x-twilio-signature': sign(token, url, params), 'i-twilio-idempotency-token': randomBytes(8).toString('hex') }, options.via);
  };
  return Object.assign(peer, { messages, postStatus });
}

/** The settings that send SMS through Twilio only, at `peer`. */
export function twilioOnly(peer: HttpPeer, accountSid: string): Record<string, string> {
  return { SMS_PROVIDERS: 'twilio', TWILIO_BASE_URL: peer.url, TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: 'secret', TWILIO_FROM: '+14155550199' };
}
