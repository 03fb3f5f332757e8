import { randomBytes } from 'node:crypto';
import { HttpPeer, type PeerResponse } from './http-peer';

/** SES v2 (REST JSON) errors: the type in the x-amzn-ErrorType header, the message in the body. */
export function sesError(status: number, type: string, message: string, headers: Record<string, string> = {}): PeerResponse {
  return { status, headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`, ...headers }, body: { message } };
}

/** SES v2 SendEmail: POST /v2/email/outbound-emails answers 200 {"MessageId"}. */
export function startSesPeer(): Promise<HttpPeer> {
  return HttpPeer.start((req) => {
    if (req.method !== 'POST' || req.url !== '/v2/email/outbound-emails') return sesError(404, 'NotFoundException', 'unknown operation');
    return { status: 200, headers: { 'x-amzn-requestid': randomBytes(8).toString('hex') }, body: { MessageId: `0100${randomBytes(12).toString('hex')}-000000` } };
  });
}
