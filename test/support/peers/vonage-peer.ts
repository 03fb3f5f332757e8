import { createHash, createHmac, randomBytes } from 'node:crypto';
import { HttpPeer, type PeerResponse, type ReceivedRequest } from './http-peer';
import { postCallback } from './provider-callback';

/** The SMS API answers HTTP 200 whatever happened; a refused message is a part with a non-zero status. */
export function vonageRefusal(status: string, errorText: string): PeerResponse {
  return { status: 200, body: { 'message-count': '1', messages: [{ status, 'error-text': errorText }] } };
}

/** A message the peer accepted: its id and the parameters it was sent with. */
export interface VonageMessage {
  messageId: string;
  params: Record<string, string>;
}

export interface VonageReceiptOptions {
  /** Where the callback URL's host leads (see postCallback). */
  via: string;
  errCode?: string;
  /** The account's signature secret and method; without a secret the receipt goes unsigned. */
  signatureSecret?: string;
  method?: 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512';
  /** Post as JSON (the account's "POST-JSON" webhook method) instead of a form. */
  json?: boolean;
  /** Seconds to move the signed timestamp by (a receipt captured and replayed later). */
  timestampOffsetSeconds?: number;
}

export type VonagePeer = HttpPeer & {
  messages: VonageMessage[];
  /** Posts a delivery receipt for the message to the `callback` URL it was sent with, as Vonage does. */
  postReceipt(message: VonageMessage, status: string, options: VonageReceiptOptions): Promise<{ status: number; body: unknown }>;
};

/** Vonage's signing (developer.vonage.com, "Signing Messages"), written here apart from Herald's so the two check each other. */
function sign(secret: string, method: NonNullable<VonageReceiptOptions['method']>, params: Record<string, string>): string {
  let query = '';
  for (const name of Object.keys(params).sort()) query += `&${name}=${params[name].replace(/[&=]/g, '_')}`;
  if (method === 'md5hash') return createHash('md5').update(query + secret).digest('hex');
  return createHmac(method, secret).update(query).digest('hex').toUpperCase();
}

const utcStamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * The Vonage SMS API: POST /sms/json with `api_key`, `api_secret`, `from`, `to`, `text` (and `client-ref`,
 * `status-report-req`, `callback`, `type`) as a form or JSON; answers 200 with `message-count` and `messages`.
 */
export async function startVonagePeer(apiKey: string, apiSecret: string): Promise<VonagePeer> {
  const messages: VonageMessage[] = [];
  const send = (req: ReceivedRequest): PeerResponse => {
    if (req.method !== 'POST' || req.url.split('?')[0] !== '/sms/json') return { status: 404, body: { type: 'https://developer.nexmo.com/api-errors#not-found', title: 'Not Found' } };
    const type = req.headers['content-type'] ?? '';
    let params: Record<string, string>;
    if (type.startsWith('application/json')) params = JSON.parse(req.text) as Record<string, string>;
    else if (type.startsWith('application/x-www-form-urlencoded')) params = Object.fromEntries(new URLSearchParams(req.text));
    else return vonageRefusal('2', 'Missing api_key');
    for (const name of ['api_key', 'api_secret', 'from', 'to', 'text']) if (!params[name]) return vonageRefusal('2', `Missing ${name}`);
    if (params.api_key !== apiKey || params.api_secret !== apiSecret) return vonageRefusal('4', 'Bad Credentials');
    if (!/^\d{7,15}$/.test(params.to)) return vonageRefusal('3', 'Invalid to param');
    if (params['client-ref'] && params['client-ref'].length > 100) return vonageRefusal('3', 'Invalid client-ref param');
    if (params.callback !== undefined && !/^https?:\/\//.test(params.callback)) return vonageRefusal('23', 'Invalid callback URL');
    const messageId = randomBytes(8).toString('hex').toUpperCase();
    messages.push({ messageId, params });
    return {
      status: 200,
      body: { 'message-count': '1', messages: [{ to: params.to, 'message-id': messageId, status: '0', 'remaining-balance': '15.53590000', 'message-price': '0.03330000', network: '23410', 'client-ref': params['client-ref'] }] },
    };
  };
  const peer = await HttpPeer.start(send);
  const postReceipt: VonagePeer['postReceipt'] = (message, status, options) => {
    const url = message.params.callback;
    if (!url) throw new Error(`message ${message.messageId} was sent without a callback`);
    const now = new Date();
    const params: Record<string, string> = {
      msisdn: message.params.to,
      to: message.params.from,
      'network-code': '23410',
      messageId: message.messageId,
      price: '0.03330000',
      status,
      scts: utcStamp(now).replace(/\D/g, '').slice(2, 12),
      'err-code': options.errCode ?? '0',
      'api-key': apiKey,
      ...(message.params['client-ref'] ? { 'client-ref': message.params['client-ref'] } : {}),
      'message-timestamp': utcStamp(now),
    };
    if (options.signatureSecret) {
      params.timestamp = String(Math.floor(now.getTime() / 1000) + (options.timestampOffsetSeconds ?? 0));
      params.nonce = randomBytes(8).toString('hex');
      params.sig = sign(options.signatureSecret, options.method ?? 'md5hash', params);
    }
    return postCallback(url, options.json ? { json: params } : { form: params }, {}, options.via);
  };
  return Object.assign(peer, { messages, postReceipt });
}
