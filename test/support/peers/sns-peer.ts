import { randomUUID } from 'node:crypto';
import { HttpPeer, type PeerResponse } from './http-peer';

/** SNS (AWS Query protocol) errors: an XML ErrorResponse. */
export function snsError(status: number, code: string, message: string): PeerResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** SNS Publish: a form-encoded POST / with Action=Publish, answered with a PublishResponse. */
export function startSnsPeer(): Promise<HttpPeer> {
  return HttpPeer.start((req) => {
    const form = new URLSearchParams(req.text);
    if (form.get('Action') !== 'Publish') return snsError(400, 'InvalidAction', 'unsupported action');
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  });
}
