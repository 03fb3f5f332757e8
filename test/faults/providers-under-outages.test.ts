import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';
import { startHeraldProcess, type HeraldProcess } from '../support/herald-process';
import { ApnsPeer, type ApnsAnswer, type ApnsRequest } from '../support/peers/apns-peer';
import { startSlackPeer, startWebhookReceiver } from '../support/peers/chat-peers';
import { fcmError, startFcmPeer } from '../support/peers/fcm-peer';
import type { HttpPeer, PeerResponse, ReceivedRequest } from '../support/peers/http-peer';
import { startTwilioPeer, twilioError } from '../support/peers/twilio-peer';
import { browserSubscription, startPushService, vapidKeys } from '../support/peers/web-push-peer';
import { startChaosSmtpPeer, type ChaosSmtpPeer } from './support/chaos-smtp-peer';
import { FAULT_CA_FILE, FaultGate, type GateMode } from './support/fault-gate';

/*
 * Outages as providers and networks have them, for every channel. One Herald process (api, relay, scheduler and
 * the push, sms, webpush, chat and email workers) sends through each provider's real adapter, over TLS, to a
 * FaultGate in front of a peer that speaks the provider's protocol and errors (test/support/peers). Failure modes
 * run one after another; in each, every provider gets the same fault at the same time, with a third of the
 * notifications submitted before it, a third during it and a third once the provider is back.
 *
 * Per provider and mode it checks: no notification delivered twice (the peer accepted it at most once), none lost
 * (each ends `sent` and held by the peer, or `unknown`), `unknown` only for a request whose bytes reached the
 * provider's socket, and every notification settled within RECOVERY_BOUND_MS of the provider being back.
 *
 * Settings: FAULT_PROVIDER_NOTIFICATIONS (24 per provider and mode), FAULT_PROVIDER_OUTAGE_MS (4000).
 */

const int = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const PER_PROVIDER = Math.max(3, int('FAULT_PROVIDER_NOTIFICATIONS', 24));
const OUTAGE_MS = int('FAULT_PROVIDER_OUTAGE_MS', 4_000);
/** How long after the provider is back every notification of the mode must have settled. */
const RECOVERY_BOUND_MS = 60_000;
const SETTLED = ['sent', 'failed', 'unknown', 'suppressed', 'cancelled'];
const MARKER = /fxm\d+x/;
const FCM_PROJECT = 'herald-faults';
const TWILIO_SID = 'AC0000000000000000000000000000fa17';

jest.setTimeout(15 * 60_000);

type Storm = '429' | '5xx' | null;
type ProviderName = 'fcm' | 'apns' | 'twilio' | 'webpush' | 'slack' | 'webhook';

interface Provider {
  name: ProviderName;
  channel: string;
  gate: FaultGate;
  /** Requests the peer accepted (2xx), by marker, and when it last did. */
  accepted: Map<string, number>;
  acceptedAt: Map<string, number>;
  storm: Storm;
  stormAnswers: number;
  item(marker: string): Record<string, unknown>;
}

interface Mode {
  name: string;
  /** What the fault means for a request: may it reach the provider? */
  description: string;
  begin(providers: Provider[]): Promise<void>;
  end(providers: Provider[]): Promise<void>;
  /** Evidence that the fault happened, per provider. */
  happened(p: Provider, attempts: AttemptRow[]): boolean;
}

interface AttemptRow {
  marker: string;
  provider: string | null;
  outcome: string;
  error_code: string | null;
}

export interface ModeRow {
  channel: string;
  mode: string;
  accepted: number;
  delivered: number;
  duplicates: number;
  losses: number;
  unknown: number;
  wrongUnknown: number;
  recoveryMs: number | null;
}

const markerOf = (text: string): string | null => MARKER.exec(text)?.[0] ?? null;

function gateMode(providers: Provider[], mode: GateMode): void {
  for (const p of providers) p.gate.mode = mode;
}

function stormMode(storm: Exclude<Storm, null>): Pick<Mode, 'begin' | 'end' | 'happened'> {
  return {
    begin: async (ps) => ps.forEach((p) => (p.storm = storm)),
    end: async (ps) => ps.forEach((p) => (p.storm = null)),
    happened: (p) => p.stormAnswers > 0,
  };
}

const errorCodeIs = (suffix: string) => (p: Provider, attempts: AttemptRow[]) => attempts.some((a) => a.provider === p.name && (a.error_code ?? '').endsWith(suffix));

/** The failure modes, in the order they run; `dnsDownFile` is the switch of the fake resolver (support/fake-dns.cjs). */
const modes = (dnsDownFile: string): Mode[] => [
  {
    name: 'refused while restarting',
    description: 'the provider stops listening (connects refused), then listens again on the same port',
    begin: async (ps) => void (await Promise.all(ps.map((p) => p.gate.stopListening()))),
    end: async (ps) => void (await Promise.all(ps.map((p) => p.gate.listen()))),
    happened: errorCodeIs('_unreachable'),
  },
  {
    name: 'reset mid-request',
    description: 'each request is cut by a TCP RST once it arrived, half of them after the provider answered',
    begin: async (ps) => gateMode(ps, { kind: 'reset' }),
    end: async (ps) => gateMode(ps, { kind: 'pass' }),
    happened: (p) => p.gate.counts.resetBeforeProvider + p.gate.counts.resetAfterProvider > 0,
  },
  {
    name: 'TLS handshake failure',
    description: 'new connections get garbage instead of a ServerHello',
    begin: async (ps) => {
      gateMode(ps, { kind: 'tls-garbage' });
      await Promise.all(ps.map((p) => p.gate.closeConnections()));
    },
    end: async (ps) => gateMode(ps, { kind: 'pass' }),
    happened: (p) => p.gate.counts.tlsGarbage > 0,
  },
  {
    name: 'DNS failure',
    description: "the providers' host names do not resolve (EAI_AGAIN) for the window",
    begin: async (ps) => {
      await writeFile(dnsDownFile, 'down');
      await Promise.all(ps.map((p) => p.gate.closeConnections()));
    },
    end: async () => rm(dnsDownFile, { force: true }),
    happened: errorCodeIs('_unreachable'),
  },
  {
    name: 'slow accept',
    description: 'new connections wait 5 s before the TLS handshake (longer than PROVIDER_REQUEST_TIMEOUT, shorter than the connect timeout)',
    begin: async (ps) => {
      gateMode(ps, { kind: 'slow-accept', ms: 5_000 });
      await Promise.all(ps.map((p) => p.gate.closeConnections()));
    },
    end: async (ps) => gateMode(ps, { kind: 'pass' }),
    happened: (p) => p.gate.counts.slowAccepts > 0,
  },
  { name: '429 storm', description: 'every request answered 429 (with Retry-After: 2 where the provider sends it)', ...stormMode('429') },
  { name: '5xx storm', description: "every request answered with the provider's 5xx", ...stormMode('5xx') },
  {
    name: 'accepts, never answers',
    description: 'the provider reads each request and goes silent; those connections stay open and silent for good',
    begin: async (ps) => gateMode(ps, { kind: 'blackhole' }),
    end: async (ps) => gateMode(ps, { kind: 'pass' }),
    happened: (p) => p.gate.counts.blackholed > 0,
  },
];

/** Provider-specific storm answers, as each provider documents them. */
function fcmStorm(storm: Exclude<Storm, null>): PeerResponse {
  return storm === '429'
    ? fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED', 'Quota exceeded for quota metric messages.', { 'retry-after': '2' })
    : fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE', 'The service is currently unavailable.');
}

function twilioStorm(storm: Exclude<Storm, null>): PeerResponse {
  return storm === '429' ? twilioError(429, 20429, 'Too Many Requests') : twilioError(503, 20503, 'Service Unavailable');
}

function webPushStorm(storm: Exclude<Storm, null>): PeerResponse {
  return storm === '429' ? { status: 429, headers: { 'retry-after': '2' }, body: 'Too Many Requests' } : { status: 503, body: 'Service Unavailable' };
}

function slackStorm(storm: Exclude<Storm, null>): PeerResponse {
  return storm === '429' ? { status: 429, headers: { 'retry-after': '2', 'content-type': 'text/html' }, body: 'rate_limited' } : { status: 500, headers: { 'content-type': 'text/html' }, body: 'rollup_error' };
}

function webhookStorm(storm: Exclude<Storm, null>): PeerResponse {
  return storm === '429' ? { status: 429, headers: { 'retry-after': '2' }, body: 'slow down' } : { status: 503, body: 'unavailable' };
}

function apnsStorm(storm: Exclude<Storm, null>): ApnsAnswer {
  return storm === '429' ? { status: 429, reason: 'TooManyRequests' } : { status: 503, reason: 'ServiceUnavailable' };
}

function wrapHttpPeer(peer: HttpPeer, p: Provider, storm: (s: Exclude<Storm, null>) => PeerResponse, markerIn: (req: ReceivedRequest) => string): void {
  const original = peer.respond;
  peer.respond = async (req) => {
    if (p.storm) {
      p.stormAnswers++;
      return storm(p.storm);
    }
    const answer = await original(req);
    const marker = markerOf(markerIn(req));
    if (marker && answer.status < 300) {
      p.accepted.set(marker, (p.accepted.get(marker) ?? 0) + 1);
      p.acceptedAt.set(marker, Date.now());
    }
    return answer;
  };
}

function wrapApnsPeer(peer: ApnsPeer, p: Provider): void {
  const original = peer.respond;
  peer.respond = (req: ApnsRequest) => {
    if (p.storm) {
      p.stormAnswers++;
      return apnsStorm(p.storm);
    }
    const answer = original(req);
    const marker = markerOf(req.body);
    if (marker && 'status' in answer && answer.status < 300) {
      p.accepted.set(marker, (p.accepted.get(marker) ?? 0) + 1);
      p.acceptedAt.set(marker, Date.now());
    }
    return answer;
  };
}

const upstreamPort = (url: string) => Number(new URL(url).port);

/** Prints the table the way docs/reliability.md holds it. */
export function formatTable(rows: ModeRow[]): string {
  const head = '| Channel / provider | Failure mode | Accepted | Delivered | Duplicates | Losses | Unknown | Recovery |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |';
  const body = rows.map((r) => `| ${r.channel} | ${r.mode} | ${r.accepted} | ${r.delivered} | ${r.duplicates} | ${r.losses} | ${r.unknown}${r.wrongUnknown ? ` (${r.wrongUnknown} wrong)` : ''} | ${r.recoveryMs === null ? '-' : `${(r.recoveryMs / 1000).toFixed(1)} s`} |`);
  return [head, ...body].join('\n');
}

describe('every channel through provider and network outages', () => {
  let api: Herald;
  let db: Client;
  let herald: HeraldProcess;
  let smtp: ChaosSmtpPeer;
  const providers: Provider[] = [];
  const peers: Array<{ close(): Promise<void> }> = [];
  const rows: ModeRow[] = [];
  let counter = 0;
  const run = randomBytes(3).toString('hex');
  const dnsDownFile = join(tmpdir(), `herald-outages-dns-down-${run}`);
  const MODES = modes(dnsDownFile);

  beforeAll(async () => {
    // The api runs in this process (it applies the migrations); everything that sends runs in a child process,
    // which trusts the gates' CA and resolves their names through the fake resolver.
    api = await startHerald({ HERALD_ROLES: 'api', SLACK_WEBHOOK_HOSTS: 'slack.faults.test' });
    db = api.db;

    const [fcm, twilio, pushService, slack, receiver, apns] = await Promise.all([
      startFcmPeer(FCM_PROJECT),
      startTwilioPeer(TWILIO_SID),
      startPushService(),
      startSlackPeer(),
      startWebhookReceiver(),
      ApnsPeer.start(),
    ]);
    peers.push(fcm, twilio, pushService, slack, receiver, apns);
    const provider = (name: ProviderName, channel: string, upstreamUrl: string, item: (gate: FaultGate, marker: string) => Record<string, unknown>): Provider => {
      const gate = new FaultGate(`${name}.faults.test`, upstreamPort(upstreamUrl), MARKER);
      const p: Provider = { name, channel, gate, accepted: new Map(), acceptedAt: new Map(), storm: null, stormAnswers: 0, item: (m) => item(gate, m) };
      providers.push(p);
      return p;
    };
    const text = (m: string) => `Outage drill ${m}`;
    wrapHttpPeer(
      fcm,
      provider('fcm', 'push', fcm.url, (_g, m) => ({ recipient: { deviceTokens: [{ token: `fcm-token-${m}`, platform: 'fcm' }] }, channels: ['push'], content: { push: { title: text(m), body: 'fcm' } } })),
      fcmStorm,
      (r) => r.text,
    );
    wrapApnsPeer(
      apns,
      provider('apns', 'push', apns.url, (_g, m) => ({ recipient: { deviceTokens: [{ token: randomBytes(32).toString('hex'), platform: 'apns' }] }, channels: ['push'], content: { push: { title: text(m), body: 'apns' } } })),
    );
    wrapHttpPeer(
      twilio,
      provider('twilio', 'sms', twilio.url, (_g, m) => ({ recipient: { phone: '+14155550100' }, channels: ['sms'], content: { sms: { text: text(m) } } })),
      twilioStorm,
      (r) => r.text,
    );
    wrapHttpPeer(
      pushService,
      provider('webpush', 'webpush', pushService.url, (g, m) => {
        const sub = browserSubscription(`${g.url}/push/${m}`);
        return { recipient: { deviceTokens: [{ token: sub.endpoint, platform: 'webpush', keys: sub.keys }] }, channels: ['webpush'], content: { webpush: { title: text(m), body: 'webpush' } } };
      }),
      webPushStorm,
      (r) => r.url,
    );
    wrapHttpPeer(
      slack,
      provider('slack', 'chat', slack.url, (g, m) => ({ recipient: { chatDestinations: [{ type: 'slack', url: `${g.url}/services/T0FAULT/B0FAULT/secret`, enabled: true }] }, channels: ['chat'], content: { chat: { text: text(m) } } })),
      slackStorm,
      (r) => r.text,
    );
    wrapHttpPeer(
      receiver,
      provider('webhook', 'chat', receiver.url, (g, m) => ({ recipient: { chatDestinations: [{ type: 'webhook', url: `${g.url}/hooks/herald`, enabled: true }] }, channels: ['chat'], content: { chat: { text: text(m) } } })),
      webhookStorm,
      (r) => r.text,
    );
    await Promise.all(providers.map((p) => p.gate.listen()));
    const byName = (n: ProviderName) => providers.find((p) => p.name === n)!.gate.url;

    smtp = await startChaosSmtpPeer({ afterData: () => ({ kind: 'accept' }) });

    const apnsKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const vapid = vapidKeys();
    herald = await startHeraldProcess({
      ...api.env,
      HERALD_ROLES: 'relay,scheduler,worker:push,worker:sms,worker:webpush,worker:chat,worker:email',
      DATABASE_POOL_SIZE: '8',
      // Enough retries to outlast any outage here (about 25 s), even counting attempts skipped by an open breaker.
      RETRY_SCHEDULE: '1s,1s,2s,2s,2s,3s,3s,3s,3s,3s',
      DISPATCH_LEASE: '30s',
      LEASE_SWEEP_INTERVAL: '1s',
      RECONCILE_INTERVAL: '2s',
      OUTBOX_STUCK_AFTER: '10s',
      QUEUED_STRANDED_AFTER: '30s',
      PROVIDER_REQUEST_TIMEOUT: '3s',
      PROVIDER_BREAKER_COOLDOWN: '2s',
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Herald <no-reply@herald.test>',
      SMTP_CONNECTION_TIMEOUT: '2s',
      SMTP_SOCKET_TIMEOUT: '3s',
      SMS_PROVIDERS: 'twilio',
      TWILIO_BASE_URL: byName('twilio'),
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: 'twilio-fault-token',
      TWILIO_FROM: '+14155550199',
      PUSH_PROVIDERS: 'fcm,apns',
      FCM_BASE_URL: byName('fcm'),
      FCM_PROJECT_ID: FCM_PROJECT,
      FCM_ACCESS_TOKEN: 'ya29.fault-suite',
      APNS_BASE_URL: byName('apns'),
      APNS_KEY_ID: 'FAULTKEY01',
      APNS_TEAM_ID: 'FAULTTEAM1',
      APNS_PRIVATE_KEY: Buffer.from(apnsKey).toString('base64'),
      APNS_TOPIC: 'test.herald.faults',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@herald.test',
      CHAT_PROVIDERS: 'slack,webhook',
      CHAT_WEBHOOK_SECRET: 'whsec_faults_0123456789abcdef',
      LOG_LEVEL: 'warn',
      // The gates' certificate is signed by the suite's CA; their host names resolve through the fake resolver.
      NODE_EXTRA_CA_CERTS: FAULT_CA_FILE,
      NODE_OPTIONS: `--require ${join(__dirname, 'support/fake-dns.cjs')}`,
      FAULT_DNS_DOWN_FILE: dnsDownFile,
    });
  }, 180_000);

  afterAll(async () => {
    if (rows.length) process.stdout.write(`\nprovider outages (recovery bound ${RECOVERY_BOUND_MS / 1000} s after the provider is back):\n${formatTable(rows)}\n`);
    await herald?.kill();
    await Promise.all(providers.map((p) => p.gate.close()));
    await Promise.all(peers.map((p) => p.close()));
    await smtp?.close();
    await api?.stop();
    await rm(dnsDownFile, { force: true });
  });

  async function submit(items: Array<Record<string, unknown>>, key: string): Promise<string[]> {
    const res = await api.http
      .post('/v1/notifications/batch')
      .set({ Authorization: `Bearer ${ADMIN_KEY}`, 'Idempotency-Key': key })
      .send({ items: items.map((i) => ({ ...i, category: 'faults' })) });
    if (res.status !== 202) throw new Error(`batch ${key} answered ${res.status}: ${JSON.stringify(res.body)}`);
    const body = res.body as { items: Array<{ outcome: string; notifications?: Array<{ id: string }> }> };
    return body.items.map((item, k) => {
      if (!item.notifications?.length) throw new Error(`batch ${key} item ${k} was ${item.outcome}: ${JSON.stringify(item)}`);
      return item.notifications[0].id;
    });
  }

  /** Submits one notification per provider and phase member; returns marker -> {id, provider}. */
  async function submitPhase(mode: number, phase: string, count: number): Promise<Map<string, { id: string; provider: Provider }>> {
    const planned: Array<{ marker: string; provider: Provider }> = [];
    for (let k = 0; k < count; k++) for (const p of providers) planned.push({ marker: `fxm${++counter}x`, provider: p });
    const ids = await submit(
      planned.map((x) => x.provider.item(x.marker)),
      `outages-${run}-${mode}-${phase}`,
    );
    return new Map(planned.map((x, i) => [x.marker, { id: ids[i], provider: x.provider }]));
  }

  async function settle(ids: string[], what: string): Promise<void> {
    await eventually(
      async () => {
        const { rows: r } = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE id = ANY($1) AND NOT (status = ANY($2))`, [ids, SETTLED]);
        return r[0].n === 0 ? true : undefined;
      },
      RECOVERY_BOUND_MS,
      what,
    ).catch(async (err: Error) => {
      const { rows: r } = await db.query(`SELECT channel, status, count(*)::int AS n FROM notifications WHERE id = ANY($1) GROUP BY 1, 2`, [ids]);
      throw new Error(`${err.message}; statuses: ${JSON.stringify(r)}`);
    });
  }

  it.each(MODES.map((m, i) => [m.name, i] as const))('%s: nothing twice, nothing lost, unknown only once the request reached the provider, recovery by itself', async (_name, index) => {
    const mode = MODES[index];
    const third = Math.max(1, Math.round(PER_PROVIDER / 3));
    const notifications = new Map<string, { id: string; provider: Provider }>();
    const add = (m: Map<string, { id: string; provider: Provider }>) => m.forEach((v, k) => notifications.set(k, v));

    add(await submitPhase(index, 'before', third));
    await sleep(1_000);
    await mode.begin(providers);
    const faultStarted = Date.now();
    add(await submitPhase(index, 'during', third));
    await sleep(Math.max(0, faultStarted + OUTAGE_MS - Date.now()));
    await mode.end(providers);
    const backAt = Date.now();
    add(await submitPhase(index, 'after', PER_PROVIDER - 2 * third));

    const ids = [...notifications.values()].map((n) => n.id);
    await settle(ids, `every notification of "${mode.name}" to settle within ${RECOVERY_BOUND_MS / 1000} s of the provider being back`);

    const { rows: statusRows } = await db.query<{ id: string; status: string; status_reason: string | null }>(`SELECT id, status, status_reason FROM notifications WHERE id = ANY($1)`, [ids]);
    const byId = new Map(statusRows.map((r) => [r.id, r]));
    const markerById = new Map([...notifications].map(([m, n]) => [n.id, m]));
    const { rows: attemptRows } = await db.query<{ notification_id: string; provider: string | null; outcome: string; error_code: string | null }>(
      `SELECT notification_id, provider, outcome, error_code FROM notification_destination_sends WHERE notification_id = ANY($1)
       UNION ALL SELECT notification_id, provider, outcome, error_code FROM notification_attempts WHERE notification_id = ANY($1)`,
      [ids],
    );
    const attempts: AttemptRow[] = attemptRows.map((a) => ({ marker: markerById.get(a.notification_id)!, provider: a.provider, outcome: a.outcome, error_code: a.error_code }));

    const problems: string[] = [];
    for (const p of providers) {
      const mine = [...notifications].filter(([, n]) => n.provider === p);
      const row: ModeRow = { channel: `${p.channel} / ${p.name}`, mode: mode.name, accepted: mine.length, delivered: 0, duplicates: 0, losses: 0, unknown: 0, wrongUnknown: 0, recoveryMs: null };
      let lastDelivery = 0;
      for (const [marker, n] of mine) {
        const status = byId.get(n.id)?.status;
        const held = p.accepted.get(marker) ?? 0;
        if (held > 1) {
          row.duplicates++;
          problems.push(`${p.name} ${marker} (${n.id}) accepted ${held} times by the provider`);
        }
        if (status === 'sent' && held >= 1) {
          row.delivered++;
          lastDelivery = Math.max(lastDelivery, p.acceptedAt.get(marker) ?? 0);
        } else if (status === 'unknown') {
          row.unknown++;
          if (!p.gate.seen.has(marker)) {
            row.wrongUnknown++;
            problems.push(`${p.name} ${marker} (${n.id}) is unknown but its request never reached the provider (${byId.get(n.id)?.status_reason})`);
          }
        } else {
          row.losses++;
          problems.push(`${p.name} ${marker} (${n.id}) ended ${status} (${byId.get(n.id)?.status_reason}), provider held it ${held} times`);
        }
      }
      row.recoveryMs = lastDelivery ? Math.max(0, lastDelivery - backAt) : null;
      if (!mode.happened(p, attempts)) problems.push(`${p.name}: the fault "${mode.name}" was not seen to happen`);
      if (row.recoveryMs === null || row.recoveryMs > RECOVERY_BOUND_MS) problems.push(`${p.name}: no delivery after the provider was back within the bound (${row.recoveryMs})`);
      rows.push(row);
    }
    process.stdout.write(`\n${mode.name} (${mode.description}):\n${formatTable(rows.filter((r) => r.mode === mode.name))}\n`);
    expect(problems).toEqual([]);
  });

  it('email, refused while the SMTP server restarts: nothing twice, nothing lost, unknown only once the data reached the server, recovery by itself', async () => {
    const third = Math.max(1, Math.round(PER_PROVIDER / 3));
    const ids: string[] = [];
    const phase = async (name: string, count: number) => {
      const items = Array.from({ length: count }, (_, k) => ({
        recipient: { email: `restart-${name}-${k}@faults.test` },
        channels: ['email'],
        content: { email: { subject: `SMTP restart drill ${name} ${k}`, text: 'restart' } },
      }));
      ids.push(...(await submit(items, `outages-${run}-smtp-${name}`)));
    };
    await phase('before', third);
    await sleep(1_000);
    const connectionsBefore = smtp.counts.connections;
    await smtp.stopListening();
    const faultStarted = Date.now();
    await phase('during', third);
    await sleep(Math.max(0, faultStarted + OUTAGE_MS - Date.now()));
    await smtp.listenAgain();
    const backAt = Date.now();
    await phase('after', PER_PROVIDER - 2 * third);
    const row: ModeRow = { channel: 'email / smtp', mode: 'refused while restarting', accepted: ids.length, delivered: 0, duplicates: 0, losses: 0, unknown: 0, wrongUnknown: 0, recoveryMs: null };
    const problems: string[] = [];
    try {
      await settle(ids, `every email to settle within ${RECOVERY_BOUND_MS / 1000} s of the SMTP server being back`);
    } catch (err) {
      problems.push((err as Error).message);
    }
    const { rows: statusRows } = await db.query<{ id: string; status: string; status_reason: string | null }>(`SELECT id, status, status_reason FROM notifications WHERE id = ANY($1)`, [ids]);
    const byId = new Map(statusRows.map((r) => [r.id, r]));
    for (const id of ids) {
      const { status, status_reason: reason } = byId.get(id) ?? {};
      const held = smtp.held.get(id) ?? 0;
      if (held > 1) {
        row.duplicates++;
        problems.push(`${id} held ${held} times by the SMTP server`);
      }
      if (status === 'sent' && held >= 1) row.delivered++;
      else if (status === 'unknown') {
        row.unknown++;
        if (!smtp.dataSeen.has(id)) {
          row.wrongUnknown++;
          problems.push(`${id} is unknown but its message data never reached the server (${reason})`);
        }
      } else {
        row.losses++;
        problems.push(`${id} ended ${status} (${reason}), held ${held} times`);
      }
    }
    const lastDelivery = Math.max(0, ...ids.map((id) => smtp.acceptedAt.get(id) ?? 0));
    row.recoveryMs = lastDelivery > backAt ? lastDelivery - backAt : null;
    if (row.recoveryMs === null) problems.push('no email was delivered after the SMTP server was back');
    if (smtp.counts.connections === connectionsBefore) problems.push('the SMTP server saw no connection after it was back');
    rows.push(row);
    process.stdout.write(`\nemail, SMTP server restart:\n${formatTable([row])}\n`);
    expect(problems).toEqual([]);
  });
});
