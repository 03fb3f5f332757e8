import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { HttpPeer, type ReceivedRequest } from './http-peer';

export interface EnvelopeItem {
  header: Record<string, unknown>;
  payload: Record<string, any>;
}

/**
 * Sentry's ingest: `POST /api/<project>/envelope/`, authenticated by the DSN's key (`X-Sentry-Auth` or the
 * `sentry_key` query parameter), answered `200 {"id": <event id>}`; other paths 404, a wrong key 401.
 */
export async function startSentryPeer(project: string, key: string): Promise<{ peer: HttpPeer; dsn: string; envelopes: () => EnvelopeItem[][]; close: () => Promise<void> }> {
  const peer = await HttpPeer.start((req) => {
    if (req.method !== 'POST' || new URL(req.url, 'http://x').pathname !== `/api/${project}/envelope/`) return { status: 404, body: { detail: 'not found' } };
    const query = new URL(req.url, 'http://x').searchParams.get('sentry_key');
    if (query !== key && !String(req.headers['x-sentry-auth'] ?? '').includes(`sentry_key=${key}`)) return { status: 401, body: { detail: 'invalid api key' } };
    return { status: 200, body: { id: parseEnvelope(req)[0]?.header.event_id ?? randomUUID().replace(/-/g, '') } };
  });
  const url = new URL(peer.url);
  return {
    peer,
    dsn: `http://${key}@${url.host}/${project}`,
    envelopes: () => peer.received.filter((r) => r.method === 'POST').map(parseEnvelope),
    close: () => peer.close(),
  };
}

/** An envelope: a header line, then per item a header line and a payload line (JSON here). */
function parseEnvelope(req: ReceivedRequest): EnvelopeItem[] {
  const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(req.body).toString('utf8') : req.text;
  const [envelopeHeader, ...lines] = body.split('\n').filter((l) => l.length > 0);
  const items: EnvelopeItem[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) items.push({ header: { ...JSON.parse(envelopeHeader), ...JSON.parse(lines[i]) }, payload: JSON.parse(lines[i + 1]) });
  return items;
}
