import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface GreylistingSmtpPeer {
  url: string;
  /** Addresses answered 450 at RCPT TO while this says so. */
  greylists: (address: string) => boolean;
  /** RCPT TO answers 450 given, per address. */
  refused: string[];
  /** Addresses of the messages accepted. */
  accepted: string[];
  close(): Promise<void>;
}

/**
 * An SMTP server (the smtp-server library) that greylists some recipients the way a policy daemon does: a 450 answer
 * to RCPT TO for those addresses, while mail for everyone else is taken at once.
 */
export async function startGreylistingSmtpPeer(greylists: (address: string) => boolean): Promise<GreylistingSmtpPeer> {
  const peer = { url: '', greylists, refused: [] as string[], accepted: [] as string[], close: async (): Promise<void> => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (peer.greylists(address.address)) {
        peer.refused.push(address.address);
        callback(Object.assign(new Error(`4.2.0 <${address.address}>: Recipient address rejected: Greylisted, try again later`), { responseCode: 450 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        peer.accepted.push(...session.envelope.rcptTo.map((r) => r.address));
        callback(null, 'Queued');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  peer.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  peer.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return peer;
}
