import { generateKeyPairSync } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SlackWebhookAdapter } from '../../../src/infrastructure/providers/slack/slack-webhook.adapter';
import { callProvider } from '../../../src/infrastructure/providers/http/provider-http';
import { ApnsPushAdapter } from '../../../src/infrastructure/providers/apns/apns.adapter';
import { ApnsPeer } from '../../support/peers/apns-peer';
import { providerConfig } from '../../support/provider-config';

/** A TCP listener on loopback whose every connection is handled by `onConnection`; it records what clients sent. */
async function tcpServer(onConnection: (socket: Socket, n: number) => void): Promise<{ port: number; received: () => string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let received = '';
  let n = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    onConnection(socket, n++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers a TLS ClientHello with bytes that are no ServerHello, then closes: the handshake fails, nothing is sent. */
const garbageTls = (socket: Socket) =>
  socket.once('data', () => {
    socket.write('HTTP/1.1 400 Bad Request\r\n\r\n\x00\xffgarbage');
    socket.end();
  });

describe('a provider connection that fails before it is established is a safe retry, never unknown', () => {
  it('HTTP providers (undici): a TLS handshake answered with garbage is transient', async () => {
    const server = await tcpServer(garbageTls);
    try {
      const result = await callProvider('fcm', `https://127.0.0.1:${server.port}/v1/projects/p/messages:send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":{}}' }, 2_000);
      expect(result).toMatchObject({ outcome: 'transient', code: 'fcm_unreachable' });
      expect(server.received()).not.toContain('messages:send');
    } finally {
      await server.close();
    }
  });

  it('HTTP providers (undici): a connection reset once the request arrived stays unknown', async () => {
    const server = await tcpServer((socket) => socket.once('data', () => setTimeout(() => socket.resetAndDestroy(), 20)));
    try {
      const result = await callProvider('fcm', `http://127.0.0.1:${server.port}/v1/projects/p/messages:send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":{}}' }, 2_000);
      expect(result).toMatchObject({ outcome: 'unknown', code: 'fcm_connection_lost' });
      expect(server.received()).toContain('messages:send');
    } finally {
      await server.close();
    }
  });

  it('Slack: a TLS handshake that fails, or that never ends within the time limit, is transient', async () => {
    const adapter = new SlackWebhookAdapter(providerConfig({ PROVIDER_REQUEST_TIMEOUT: '1s' }));
    const message = { notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', content: { text: 'hello' } };
    const garbage = await tcpServer(garbageTls);
    // Accepts the TCP connection and never takes part in the TLS handshake (a provider too busy to accept).
    const silent = await tcpServer(() => undefined);
    try {
      expect(await adapter.send({ ...message, url: `https://127.0.0.1:${garbage.port}/services/T0/B0/secret` })).toMatchObject({ outcome: 'transient', code: 'slack_unreachable' });
      expect(await adapter.send({ ...message, url: `https://127.0.0.1:${silent.port}/services/T0/B0/secret` })).toMatchObject({ outcome: 'transient', code: 'slack_unreachable' });
    } finally {
      await garbage.close();
      await silent.close();
    }
  }, 30_000);
});

describe('APNs: a silent connection', () => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const config = (baseUrl: string) =>
    providerConfig({
      PUSH_PROVIDERS: 'apns',
      APNS_BASE_URL: baseUrl,
      APNS_KEY_ID: 'KEY1234567',
      APNS_TEAM_ID: 'TEAM123456',
      APNS_PRIVATE_KEY: Buffer.from(pem).toString('base64'),
      APNS_TOPIC: 'com.example.app',
      PROVIDER_REQUEST_TIMEOUT: '1s',
    });
  const push = (n: number) => ({ notificationId: `0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6${n}`, token: 'a1b2c3d4e5f6', content: { title: 'Shipped', body: 'On its way' } });

  it('a connection whose TLS handshake does not end within the time limit is transient: nothing was sent', async () => {
    const silent = await tcpServer(() => undefined);
    const adapter = new ApnsPushAdapter(config(`https://127.0.0.1:${silent.port}`));
    try {
      expect(await adapter.send(push(1))).toMatchObject({ outcome: 'transient', code: 'apns_unreachable' });
    } finally {
      adapter.onApplicationShutdown();
      await silent.close();
    }
  });

  it('after a request timed out on a connection that went silent for good, the next send opens a new connection', async () => {
    const peer = await ApnsPeer.start();
    const upstream = Number(new URL(peer.url).port);
    // The first connection reads and never answers, and stays open (half-open); later ones reach the peer.
    const ups: Socket[] = [];
    const front = await tcpServer((socket, n) => {
      if (n === 0) return;
      const up = connect(upstream, '127.0.0.1');
      ups.push(up);
      up.on('error', () => socket.destroy());
      socket.pipe(up).pipe(socket);
    });
    const adapter = new ApnsPushAdapter(config(`http://127.0.0.1:${front.port}`));
    try {
      expect(await adapter.send(push(2))).toMatchObject({ outcome: 'unknown', code: 'apns_timeout' });
      expect(await adapter.send(push(3))).toMatchObject({ outcome: 'sent' });
      expect(peer.received.map((r) => JSON.parse(r.body).heraldNotificationId)).toEqual([push(3).notificationId]);
    } finally {
      adapter.onApplicationShutdown();
      await front.close();
      for (const up of ups) up.destroy();
      await peer.close();
    }
  }, 30_000);
});
