import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/infrastructure/config/load-config';
import { SmtpEmailAdapter } from '../../src/infrastructure/providers/smtp/smtp.adapter';
import { startChaosSmtpPeer, type ChaosAction, type ChaosSmtpPeer } from '../faults/support/chaos-smtp-peer';
import { sleep } from '../support/herald-harness';

/** The SMTP adapter against a server that misbehaves at each step: a failure is unknown only once the server may have the message. */
describe('SMTP adapter outcomes against a misbehaving server', () => {
  let peer: ChaosSmtpPeer;
  let adapter: SmtpEmailAdapter;
  let atMailFrom: ChaosAction = { kind: 'accept' };

  beforeAll(async () => {
    peer = await startChaosSmtpPeer({
      atMailFrom: () => atMailFrom,
      afterData: ({ to }) => {
        const local = to[0]?.split('@')[0] ?? '';
        if (local === 'greylist') return { kind: 'reply', code: 451, text: '4.7.1 try again later' };
        if (local === 'nobody') return { kind: 'reply', code: 550, text: '5.1.1 no such user' };
        if (local === 'drop') return { kind: 'close' };
        if (local === 'stall') return { kind: 'hang' };
        return { kind: 'accept' };
      },
    }, 5_000);
    const config = loadConfig({
      HERALD_ROLES: 'worker:email',
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused_test',
      AWS_REGION: 'us-east-1',
      SMTP_URL: peer.url,
      EMAIL_FROM: 'Herald <no-reply@herald.test>',
      SMTP_SOCKET_TIMEOUT: '1s',
      SMTP_POOL_SIZE: '1',
      LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123',
      PUBLIC_URL: 'https://herald.test',
    });
    adapter = new SmtpEmailAdapter(config);
  });
  afterAll(async () => {
    await adapter.onApplicationShutdown();
    await peer.close();
  });
  afterEach(() => {
    atMailFrom = { kind: 'accept' };
  });

  const send = (local: string, id = randomUUID()) =>
    adapter.send({ notificationId: id, to: `${local}@example.com`, subject: 'Hello', text: 'Body', html: '<p>Body</p>' }).then((r) => ({ id, r }));

  it('reports sent on 250, and the server holds exactly that message', async () => {
    const { id, r } = await send('ada');
    expect(r).toEqual({ outcome: 'sent', providerMessageId: `<${id}@herald.test>` });
    expect(peer.held.get(id)).toBe(1);
  });

  it('reports a 4xx answer as transient and a 5xx answer as permanent', async () => {
    expect((await send('greylist')).r).toMatchObject({ outcome: 'transient', code: 'smtp_451' });
    expect((await send('nobody')).r).toMatchObject({ outcome: 'permanent', code: 'smtp_550' });
  });

  it('reports a connection dropped after the whole message as unknown, and never resends it on another connection', async () => {
    const { id, r } = await send('drop');
    expect(r).toMatchObject({ outcome: 'unknown', code: 'smtp_lost_after_data' });
    await sleep(500);
    expect(peer.held.get(id)).toBe(1);
    expect(peer.counts.closedAfterData).toBe(1);
  });

  it('reports a server that hangs after the message past the socket timeout as unknown', async () => {
    const { r } = await send('stall');
    expect(r).toMatchObject({ outcome: 'unknown', code: 'smtp_lost_after_data' });
    expect(peer.counts.hungAfterData).toBe(1);
  });

  it('reports a hang or a dropped connection before any message data as transient (safe to retry)', async () => {
    atMailFrom = { kind: 'hang' };
    const hung = await send('ada');
    expect(hung.r.outcome).toBe('transient');
    atMailFrom = { kind: 'close' };
    const dropped = await send('ada');
    expect(dropped.r.outcome).toBe('transient');
    expect(peer.held.has(hung.id)).toBe(false);
    expect(peer.held.has(dropped.id)).toBe(false);
    atMailFrom = { kind: 'accept' };
    expect((await send('ada')).r.outcome).toBe('sent');
  });
});
