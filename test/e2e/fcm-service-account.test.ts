import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeraldProcess } from '../faults/support/herald-process';
import { freePort } from '../faults/support/child-processes';
import { eventually } from '../support/herald-harness';
import { fcmError, startFcmPeer } from '../support/peers/fcm-peer';
import { startAwsSecretsPeer, type AwsSecretsPeer } from '../support/peers/aws-secrets-peer';
import { GoogleOAuthPeer } from '../support/peers/google-oauth-peer';
import type { HttpPeer } from '../support/peers/http-peer';
import { processEnv } from '../support/process-env';
import { createTestDatabase } from '../support/test-database';

/*
 * FCM with a service account (FCM_CREDENTIALS_FILE, or FCM_SERVICE_ACCOUNT_JSON read from Secrets Manager at
 * start through a reference): the built service mints its OAuth access tokens with
 * firebase-admin, which signs a JWT with the account's key and posts it to Google's token endpoint. That
 * endpoint is a peer behind an HTTPS proxy (firebase-admin's HTTP client honours HTTPS_PROXY), checking the
 * assertion as Google does; the FCM peer accepts only a token the endpoint issued.
 */

const API_KEY = `hk_fcm_sa_admin_${'f'.repeat(24)}`;
const PROJECT = 'herald-sa';
const ACCOUNT = `herald-sender@${PROJECT}.iam.gserviceaccount.com`;

jest.setTimeout(120_000);

describe.each([
  ['a service-account file', 'file'],
  ['a Secrets Manager secret', 'secretsmanager'],
] as const)('FCM access tokens minted by firebase-admin from %s', (_source, source) => {
  let dir: string;
  let aws: AwsSecretsPeer | undefined;
  let google: GoogleOAuthPeer;
  let fcm: HttpPeer;
  let herald: HeraldProcess;
  let database: { url: string; drop: () => Promise<void> };
  let api: string;

  beforeAll(async () => {
    if (!existsSync(join(process.cwd(), 'dist/src/main.js'))) throw new Error('dist/ is missing: `npm test` builds it first (or run `npm run build`)');
    dir = await mkdtemp(join(tmpdir(), 'herald-fcm-sa-'));
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const credentialsFile = join(dir, 'service-account.json');
    // The key as the Firebase console downloads it.
    const serviceAccount = JSON.stringify({
      type: 'service_account',
      project_id: PROJECT,
      private_key_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: ACCOUNT,
      client_id: '109876543210987654321',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(ACCOUNT)}`,
    });
    let credentials: Record<string, string>;
    if (source === 'file') {
      await writeFile(credentialsFile, serviceAccount);
      credentials = { FCM_CREDENTIALS_FILE: credentialsFile };
    } else {
      aws = await startAwsSecretsPeer();
      aws.secrets.set('herald/fcm', serviceAccount);
      credentials = { FCM_SERVICE_ACCOUNT_JSON: 'secretsmanager:herald/fcm', AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url };
    }
    google = await GoogleOAuthPeer.start(dir, { [ACCOUNT]: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    fcm = await startFcmPeer(PROJECT);
    // FCM refuses any bearer token Google did not issue, as FCM answers an expired or foreign token.
    fcm.respond = (req) =>
      google.issued.includes((req.headers.authorization ?? '').replace(/^Bearer /, ''))
        ? { status: 200, body: { name: `projects/${PROJECT}/messages/${fcm.received.length}` } }
        : fcmError(401, 'UNAUTHENTICATED', 'THIRD_PARTY_AUTH_ERROR', 'Request had invalid authentication credentials.');
    database = await createTestDatabase();
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    herald = new HeraldProcess(
      'herald',
      {
        HERALD_ROLES: 'api,relay,worker:push,scheduler',
        ...processEnv({ port, databaseUrl: database.url, queuePrefix: 'fsa' }),
        PUSH_PROVIDERS: 'fcm',
        FCM_BASE_URL: fcm.url,
        FCM_PROJECT_ID: PROJECT,
        ...credentials,
        HTTPS_PROXY: google.proxyUrl,
        NO_PROXY: '127.0.0.1,localhost',
        NODE_EXTRA_CA_CERTS: google.caFile,
        HERALD_BOOTSTRAP_API_KEY: API_KEY,
        LINK_SIGNING_SECRET: 'fcm-sa-suite-link-secret-0123456789abcdef',
        PUBLIC_URL: 'https://herald.test',
        RELAY_POLL_INTERVAL: '50ms',
        RETRY_SCHEDULE: '500ms,500ms,1s',
        PROVIDER_BREAKER_THRESHOLD: '100',
        LOG_LEVEL: 'warn',
      },
      dir,
    );
    herald.start();
    await eventually(async () => ((await fetch(`${api}/health/live`).catch(() => null))?.ok ? true : undefined), 90_000, 'the Herald process').catch(async (err: Error) => {
      throw new Error(`${err.message}\n${(await readFile(join(dir, 'herald.log'), 'utf8')).slice(-3000)}`);
    });
  });

  afterAll(async () => {
    await herald?.stop();
    await database?.drop().catch(() => undefined);
    await google?.close();
    await aws?.close();
    await fcm?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function push(title: string): Promise<string> {
    const res = await fetch(`${api}/v1/notifications`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ recipient: { userId: `u-${title}`, deviceTokens: [{ token: `device-${title}`, platform: 'fcm' }] }, channels: ['push'], content: { push: { title, body: 'From a service account' } } }),
    });
    if (res.status !== 202) throw new Error(`POST /v1/notifications: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { notifications: Array<{ id: string }> }).notifications[0].id;
  }

  async function settled(id: string): Promise<Record<string, any>> {
    return eventually(async () => {
      const body = (await (await fetch(`${api}/v1/notifications/${id}`, { headers: { Authorization: `Bearer ${API_KEY}` } })).json()) as Record<string, any>;
      return ['sent', 'failed', 'unknown'].includes(body.status) ? body : undefined;
    }, 30_000, `push ${id} settled`);
  }

  it('a refused assertion is a transient failure of the send; the retry mints a token, and later sends reuse it', async () => {
    google.refuse = true;
    const first = await push('first');
    await eventually(async () => (google.requests.length > 0 ? true : undefined), 20_000, 'a token request');
    google.refuse = false;

    const sent = await settled(first);
    expect(sent.status).toBe('sent');
    const codes = (sent.attempts as Array<{ errorCode: string | null }>).map((a) => a.errorCode);
    expect(codes[0]).toBe('fcm_auth_unavailable');
    expect(codes[codes.length - 1]).toBeNull();

    // The assertion, as firebase-admin built it: signed with the account's key, for FCM's scope, short-lived.
    const [request] = google.requests.filter((r) => r.issued);
    expect(request.header.alg).toBe('RS256');
    expect(request.claims.iss).toBe(ACCOUNT);
    expect(request.claims.scope.split(' ')).toContain('https://www.googleapis.com/auth/firebase.messaging');
    expect(request.claims.exp - request.claims.iat).toBeLessThanOrEqual(3600);
    // Every tunnel went to one of Google's token hosts on 443: nothing else went through the proxy.
    expect(google.tunnels.length).toBeGreaterThan(0);
    expect(google.tunnels.every((t) => /^(oauth2|www)\.googleapis\.com:443$/.test(t))).toBe(true);

    const more = await Promise.all(['second', 'third'].map(push));
    for (const id of more) expect((await settled(id)).status).toBe('sent');
    // One token for all three sends: it is kept until shortly before it expires.
    expect(google.issued).toHaveLength(1);
    const bearers = new Set(fcm.received.map((r) => r.headers.authorization));
    expect(bearers).toEqual(new Set([`Bearer ${google.issued[0]}`]));
  });
});
