import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { LookupAddress } from 'node:dns';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { HeraldConfig } from '../../../src/infrastructure/config/herald-config';
import { SignedWebhookAdapter } from '../../../src/infrastructure/providers/webhook/signed-webhook.adapter';
import { SlackWebhookAdapter } from '../../../src/infrastructure/providers/slack/slack-webhook.adapter';
import { Agent, request } from 'undici';
import { DESTINATION_REFUSED, guardedConnector, type LookupFunction } from '../../../src/infrastructure/providers/http/outbound-guard';
import { VapidWebPushAdapter } from '../../../src/infrastructure/providers/webpush/vapid-web-push.adapter';
import { WebhookPosterHttp } from '../../../src/infrastructure/webhooks/webhook-poster.http';
import { browserSubscription, vapidKeys } from '../../support/peers/web-push-peer';
import { providerConfig } from '../../support/provider-config';

const notificationId = '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';
const content = { text: 'Order o-1 shipped' };

/** A TCP listener on the loopback address that counts connections, whatever protocol they would speak. */
async function listener(): Promise<{ port: number; connections: () => number; reset: () => void; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, connections: () => count, reset: () => (count = 0), close: () => new Promise((r) => server.close(() => r())) };
}

/** A resolver that answers chosen addresses for every name, as a rebinding DNS server would. */
function resolvingTo(...addresses: string[]): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const fn = ((hostname: string, _options: unknown, callback: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) => {
    calls.push(hostname);
    callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  }) as LookupFunction & { calls: string[] };
  fn.calls = calls;
  return fn;
}

/** Production defaults: https only, no private address, Slack's hosts only; a resolver may be injected. */
const vapid = vapidKeys();

function strictConfig(env: Record<string, string> = {}, lookup?: LookupFunction): HeraldConfig {
  const config = providerConfig({
    OUTBOUND_ALLOW_HTTP: 'false',
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'false',
    SLACK_WEBHOOK_HOSTS: '',
    CHAT_PROVIDERS: 'slack,webhook',
    CHAT_WEBHOOK_SECRET: 'whsec_test_0123456789abcdef',
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    ...env,
  });
  if (lookup) config.outbound = { ...config.outbound, lookup };
  return config;
}

describe('outbound guard: customer-given URLs never reach Herald\'s own host or network', () => {
  let local: Awaited<ReturnType<typeof listener>>;
  const connectsSeen: string[] = [];
  const onConnect = (message: unknown) => connectsSeen.push((message as { connectParams: { hostname: string } }).connectParams.hostname);

  beforeAll(async () => {
    local = await listener();
    subscribe('undici:client:beforeConnect', onConnect);
  });
  afterAll(async () => {
    unsubscribe('undici:client:beforeConnect', onConnect);
    await local.close();
  });
  beforeEach(() => {
    connectsSeen.length = 0;
    local.reset();
  });

  it('refuses http by default, before any connection', async () => {
    const adapter = new SignedWebhookAdapter(strictConfig());
    expect(await adapter.send({ notificationId, url: `http://localhost:${local.port}/hook`, content })).toEqual({
      outcome: 'permanent',
      code: 'destination_scheme_refused',
      message: 'destinations must use https (got http)',
    });
    expect(local.connections()).toBe(0);
    expect(connectsSeen).toEqual([]);
  });

  it.each([
    ['localhost', (port: number) => `https://localhost:${port}/hook`],
    ['127.0.0.1', (port: number) => `https://127.0.0.1:${port}/hook`],
    ['hex 0x7f000001', (port: number) => `https://0x7f000001:${port}/hook`],
    ['decimal 2130706433', (port: number) => `https://2130706433:${port}/hook`],
    ['short 127.1', (port: number) => `https://127.1:${port}/hook`],
    ['::1', (port: number) => `https://[::1]:${port}/hook`],
    ['IPv4-mapped ::ffff:127.0.0.1', (port: number) => `https://[::ffff:127.0.0.1]:${port}/hook`],
  ])('refuses a loopback destination written as %s, and never contacts the listener', async (_name, url) => {
    const adapter = new SignedWebhookAdapter(strictConfig());
    expect(await adapter.send({ notificationId, url: url(local.port), content })).toMatchObject({ outcome: 'permanent', code: 'destination_address_refused' });
    expect(local.connections()).toBe(0);
    expect(connectsSeen).toEqual([]);
  });

  it.each([
    'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'https://[fd00:ec2::254]/latest/meta-data/',
    'https://10.0.0.1/hook',
    'https://172.16.5.4/hook',
    'https://192.168.1.1/hook',
    'https://100.64.0.1/hook',
    'https://0.0.0.0/hook',
    'https://[fe80::1]/hook',
    'https://[fc00::1]/hook',
    'https://224.0.0.1/hook',
    'https://[::ffff:a9fe:a9fe]/hook',
  ])('refuses the private or metadata literal %s before any connect', async (url) => {
    const adapter = new SignedWebhookAdapter(strictConfig());
    expect(await adapter.send({ notificationId, url, content })).toMatchObject({ outcome: 'permanent', code: 'destination_address_refused' });
    expect(connectsSeen).toEqual([]);
  });

  it('checks the address after resolution, at connect time: a name that resolves to 127.0.0.1 is refused', async () => {
    const lookup = resolvingTo('127.0.0.1');
    const adapter = new SignedWebhookAdapter(strictConfig({}, lookup));
    expect(await adapter.send({ notificationId, url: `https://hooks.customer.test:${local.port}/hook`, content })).toEqual({
      outcome: 'permanent',
      code: 'destination_address_refused',
      message: 'the destination resolves to a loopback, private, link-local or metadata address',
    });
    expect(lookup.calls).toEqual(['hooks.customer.test']);
    expect(local.connections()).toBe(0);
  });

  it('refuses a name when any of its addresses is private, so that no address of it is tried', async () => {
    const lookup = resolvingTo('::1', '127.0.0.1');
    const adapter = new SignedWebhookAdapter(strictConfig({ OUTBOUND_ALLOW_HTTP: 'true' }, lookup));
    expect(await adapter.send({ notificationId, url: `http://rebind.customer.test:${local.port}/hook`, content })).toMatchObject({ code: 'destination_address_refused' });
    expect(local.connections()).toBe(0);
  });

  it('the same name and resolver do reach the listener when private networks are allowed (the check above is what refused)', async () => {
    const lookup = resolvingTo('127.0.0.1');
    const adapter = new SignedWebhookAdapter(strictConfig({ OUTBOUND_ALLOW_HTTP: 'true', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' }, lookup));
    const result = await adapter.send({ notificationId, url: `http://rebind.customer.test:${local.port}/hook`, content });
    expect(result).toMatchObject({ outcome: 'unknown' }); // the listener hangs up without answering
    expect(local.connections()).toBe(1);
  });

  it('Slack destinations must be on Slack\'s hosts; a look-alike host is refused before any connect', async () => {
    const lookup = resolvingTo('127.0.0.1');
    const adapter = new SlackWebhookAdapter(strictConfig({}, lookup));
    for (const url of ['https://hooks.slack.com.customer.test/services/T/B/X', 'https://example.test/services/T/B/X', `https://localhost:${local.port}/services/T/B/X`]) {
      expect(await adapter.send({ notificationId, url, content })).toMatchObject({ outcome: 'permanent', code: 'destination_host_refused' });
    }
    expect(lookup.calls).toEqual([]);
    expect(connectsSeen).toEqual([]);
    expect(local.connections()).toBe(0);
  });

  it('a Slack host is still checked at connect time (a resolver pointing hooks.slack.com at 127.0.0.1 is refused)', async () => {
    const lookup = resolvingTo('127.0.0.1');
    const adapter = new SlackWebhookAdapter(strictConfig({}, lookup));
    expect(await adapter.send({ notificationId, url: `https://hooks.slack.com:${local.port}/services/T/B/X`, content })).toMatchObject({ code: 'destination_address_refused' });
    expect(lookup.calls).toEqual(['hooks.slack.com']);
    expect(local.connections()).toBe(0);
  });

  it('web push endpoints go through the same guard', async () => {
    const lookup = resolvingTo('127.0.0.1');
    const adapter = new VapidWebPushAdapter(strictConfig({}, lookup));
    expect(await adapter.send({ notificationId, subscription: browserSubscription(`https://push.customer.test:${local.port}/push/sub-1`), content: { title: 't', body: 'b' } })).toMatchObject({
      outcome: 'permanent',
      code: 'destination_address_refused',
    });
    expect(await adapter.send({ notificationId, subscription: browserSubscription(`https://127.0.0.1:${local.port}/push/sub-1`), content: { title: 't', body: 'b' } })).toMatchObject({
      code: 'destination_address_refused',
    });
    expect(local.connections()).toBe(0);
  });

  it('refused connections release their pool slot: far more refusals than the pool has connections all finish with the refusal', async () => {
    const lookup = resolvingTo('127.0.0.1');
    const strict = new SignedWebhookAdapter(strictConfig({}, lookup));
    const results = await Promise.all(Array.from({ length: 300 }, () => strict.send({ notificationId, url: `https://slots.customer.test:${local.port}/hook`, content })));
    expect(new Set(results.map((r) => (r as { code: string }).code))).toEqual(new Set(['destination_address_refused']));
    expect(local.connections()).toBe(0);
  });

  it('the connector refuses a literal address itself (not only the URL check), through undici\'s own failure path', async () => {
    const agent = new Agent({ connections: 2, connect: guardedConnector({ allowHttp: true, allowPrivateNetworks: false }, { timeout: 5_000 }) });
    try {
      const attempts = await Promise.allSettled(Array.from({ length: 20 }, () => request(`http://127.0.0.1:${local.port}/`, { method: 'POST', body: 'x', dispatcher: agent })));
      expect(attempts.every((a) => a.status === 'rejected' && (a.reason as { code?: string }).code === DESTINATION_REFUSED)).toBe(true);
      expect(local.connections()).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it('the status webhook poster goes through the same guard', async () => {
    const lookup = resolvingTo('127.0.0.1');
    const poster = new WebhookPosterHttp(strictConfig({}, lookup));
    expect(await poster.post(`https://events.customer.test:${local.port}/herald`, '{}', {})).toEqual({ ok: false, error: expect.stringMatching(/^destination_address_refused: /) });
    expect(await poster.post(`http://127.0.0.1:${local.port}/herald`, '{}', {})).toEqual({ ok: false, error: expect.stringMatching(/^destination_scheme_refused: /) });
    expect(local.connections()).toBe(0);
  });
});
