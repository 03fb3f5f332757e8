import { randomBytes } from 'node:crypto';
import { HttpPeer, type PeerResponse } from './http-peer';

/** Twilio's error body (www.twilio.com/docs/usage/twilios-response): code, message, more_info, status. */
export function twilioError(status: number, code: number, message: string): PeerResponse {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

/** Twilio's Messages resource: POST /2010-04-01/Accounts/{AccountSid}/Messages.json answers 201 with the message. */
export function startTwilioPeer(accountSid: string): Promise<HttpPeer> {
  return HttpPeer.start((req) => {
    if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return twilioError(404, 20404, 'The requested resource was not found');
    const form = new URLSearchParams(req.text);
    return { status: 201, body: { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued', to: form.get('To'), body: form.get('Body'), account_sid: accountSid } };
  });
}

/** The settings that send SMS through Twilio only, at `peer`. */
export function twilioOnly(peer: HttpPeer, accountSid: string): Record<string, string> {
  return { SMS_PROVIDERS: 'twilio', TWILIO_BASE_URL: peer.url, TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: 'secret', TWILIO_FROM: '+14155550199' };
}
