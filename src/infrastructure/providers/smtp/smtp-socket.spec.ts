import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { openSmtpSocket } from './smtp-socket';

describe('openSmtpSocket', () => {
  let server: Server;
  let port: number;
  let received: Buffer[];
  const sockets: Socket[] = [];

  beforeEach(async () => {
    received = [];
    server = createServer((peer) => peer.on('data', (chunk) => received.push(chunk)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  const open = () =>
    new Promise<Socket>((resolve, reject) =>
      openSmtpSocket({ host: '127.0.0.1', port }, (err, opened) => {
        if (err || !opened) return reject(err);
        sockets.push(opened.connection);
        resolve(opened.connection);
      }),
    );
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  };

  it('sends the writes of one turn of the event loop in one system call, and each turn at once', async () => {
    const socket = await open();
    const writeCalls = jest.spyOn(socket as unknown as { _writeGeneric: () => void }, '_writeGeneric');
    ['MAIL FROM:<a@example.com>\r\n', 'Subject: x\r\n', '\r\n', 'body\r\n', '.\r\n'].forEach((c) => socket.write(c));
    await until(() => Buffer.concat(received).length === 50);
    expect(Buffer.concat(received).toString()).toBe('MAIL FROM:<a@example.com>\r\nSubject: x\r\n\r\nbody\r\n.\r\n');
    expect(writeCalls).toHaveBeenCalledTimes(1);

    // A lone command in a later turn is not held back waiting for more.
    socket.write('QUIT\r\n');
    await until(() => Buffer.concat(received).toString().endsWith('QUIT\r\n'));
    expect(Buffer.concat(received).toString().endsWith('QUIT\r\n')).toBe(true);
    expect(writeCalls).toHaveBeenCalledTimes(2);
  });
});
