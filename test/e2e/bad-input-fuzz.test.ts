import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';
import { rawRequest } from '../support/raw-http';

/**
 * Walks every operation of the OpenAPI document with bad input of every class the API must refuse
 * cleanly, with and without a key and with keys whose scopes are too narrow. Deterministic (seeded),
 * bounded in count, run against a whole Herald on real Postgres and the SQS emulator.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  minimum?: number;
  maximum?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  /** Media types the document says the body may have; JSON when it names none. */
  consumes: string[];
  bodySchema: Schema | null;
  scope: string | null;
  secured: boolean;
  producesHtml: boolean;
}

interface Case {
  op: Operation;
  what: string;
  /** A path with its parameters filled in and the query string. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** The request is wrong whatever the state: a 2xx is a failure. */
  mustFail: boolean;
  /** Exactly these statuses are right. */
  expect?: number[];
}

const SEED = 0x5eed13;
/** Pages for people, opened from emails: they answer with HTML, refusals included. */
const HOSTED_PAGES = ['/v1/unsubscribe', '/v1/preference-page'];
const BODY_LIMIT = 200_000;
const MAX_PROPERTY_MUTATIONS = 8;

/** mulberry32: small, fast and the same everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEEP = { userId: 'u-fuzz-keep', key: 'fuzz-keep', name: 'fuzz-keep' };
const SCRATCH = { userId: 'u-fuzz-scratch', key: 'fuzz-scratch', name: 'fuzz-scratch' };
const UUID = '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';

let storedProfileRead: Record<string, unknown> = {};
const STORED_PROFILE = {
  email: 'keep@example.com',
  phone: '+14155550142',
  locale: 'en-GB',
  timezone: 'Europe/London',
  deviceTokens: [{ token: 'keep-device-token', platform: 'fcm' }],
  chatDestinations: [{ type: 'slack', url: 'https://hooks.slack.com/services/T/B/KEEP', enabled: true }],
  attributes: { plan: 'gold' },
};
const STORED_PREFERENCES = { categories: { 'fuzz-keep': { email: false, sms: true } }, optedOutChannels: ['push'] };

function pathValue(name: string, ids: typeof KEEP): string {
  switch (name) {
    case 'userId':
      return ids.userId;
    case 'key':
      return ids.key;
    case 'name':
      return ids.name;
    case 'channel':
      return 'email';
    case 'address':
      return 'fuzz@example.com';
    case 'token':
      return 'not-a-token';
    default:
      return UUID;
  }
}

describe('bad input fuzz over the OpenAPI document', () => {
  let herald: Herald;
  let base: string;
  let agent: Agent;
  let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
  const keys: Record<string, string> = {};
  /** User tokens for the routes that take one (x-herald-scope: user): they act for the token's user, not a path's. */
  const userTokens = { keep: '', scratch: '' };

  beforeAll(async () => {
    herald = await startHerald({
      HERALD_ROLES: 'api',
      RATE_LIMIT_PER_MINUTE: '1000000',
      HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT),
      INBOX_TOKEN_SECRET: 'fuzz-user-token-secret-of-at-least-32-bytes',
      INBOX_REQUESTS_PER_MINUTE: '1000000',
    });
    await herald.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(herald.app.getHttpServer().address() as AddressInfo).port}`;
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const create = herald.app.get(CreateApiKey);
    keys['notifications:read'] = (await create.execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
    keys['notifications:write'] = (await create.execute({ name: 'writer', scopes: ['notifications:write'] })).secret;
    const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
    for (const [which, ids] of [['keep', KEEP], ['scratch', SCRATCH]] as const) {
      userTokens[which] = (await herald.http.post('/v1/inbox/tokens').set(auth).send({ userId: ids.userId }).expect(201)).body.token as string;
    }
    await herald.http.put(`/v1/categories/${KEEP.name}`).set(auth).send({ description: 'kept', channelDefaults: { email: true } }).expect(200);
    await herald.http.put(`/v1/recipients/${KEEP.userId}`).set(auth).send(STORED_PROFILE).expect(200);
    // Reads mask secrets (device tokens, chat URLs): the read taken now is what every later read must equal.
    storedProfileRead = (await herald.http.get(`/v1/recipients/${KEEP.userId}`).set(auth).expect(200)).body as Record<string, unknown>;
    await herald.http.put(`/v1/recipients/${KEEP.userId}/preferences`).set(auth).send(STORED_PREFERENCES).expect(200);
    await herald.http.put(`/v1/topics/${KEEP.key}`).set(auth).send({ name: 'Kept topic' }).expect(200);
    await herald.http
      .put(`/v1/templates/${KEEP.key}`)
      .set(auth)
      .send({ defaultLocale: 'en', variables: [], locales: { en: { sms: { text: 'kept' } } } })
      .expect(200);
    doc = (await herald.http.get('/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    agent?.destroy();
    await herald?.stop();
  });

  const resolve = (schema: Schema | undefined): Schema => {
    let s = schema ?? {};
    for (let i = 0; s.$ref && i < 10; i++) s = doc.components.schemas[s.$ref.split('/').pop()!] ?? {};
    if (s.allOf?.length) return resolve(s.allOf[0]);
    return s;
  };

  /** A plausible value for a schema: its example when it has one. */
  const sample = (schema: Schema | undefined, depth = 0): unknown => {
    const s = resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.enum?.length) return s.enum[0];
    if (depth > 6) return null;
    switch (s.type) {
      case 'object':
        return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v, depth + 1)]));
      case 'array':
        return [sample(s.items, depth + 1)];
      case 'integer':
      case 'number':
        return s.minimum ?? 1;
      case 'boolean':
        return true;
      case 'string':
        return s.format === 'date-time' ? '2030-01-01T00:00:00Z' : 'fuzz';
      default:
        return s.properties ? sample({ ...s, type: 'object' }, depth) : 'fuzz';
    }
  };

  function operations(): Operation[] {
    const ops: Operation[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
        const content = (op.requestBody?.content ?? {}) as Record<string, { schema?: Schema }>;
        const consumes = Object.keys(content);
        const jsonSchema = content['application/json']?.schema ?? null;
        const produces = Object.values((op.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>).flatMap((r) => Object.keys(r.content ?? {}));
        ops.push({
          method: method.toUpperCase(),
          path,
          parameters: (op.parameters ?? []) as Parameter[],
          consumes: consumes.length ? consumes : ['application/json'],
          bodySchema: jsonSchema,
          scope: op['x-herald-scope'] === 'public' ? null : ((op['x-herald-scope'] as string | undefined) ?? null),
          secured: Array.isArray(op.security) && op.security.length > 0,
          producesHtml: produces.includes('text/html') || HOSTED_PAGES.includes(path),
        });
      }
    }
    return ops;
  }

  function buildCases(ops: Operation[]): Case[] {
    const random = prng(SEED);
    const pick = <T>(items: T[], n: number): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, n);
    };
    const cases: Case[] = [];
    for (const op of ops) {
      const fill = (ids: typeof KEEP, override?: { name: string; raw: string }) =>
        op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (override?.name === name ? override.raw : encodeURIComponent(pathValue(name, ids))));
      const queryParams = op.parameters.filter((p) => p.in === 'query');
      const requiredQuery = queryParams
        .filter((p) => p.required)
        .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(sample(p.schema)))}`)
        .join('&');
      const withQuery = (path: string, extra = '') => {
        const q = [requiredQuery, extra].filter(Boolean).join('&');
        return q ? `${path}?${q}` : path;
      };
      const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
      const takesJson = op.consumes.includes('application/json');
      const baseline = op.bodySchema ? sample(op.bodySchema) : undefined;
      const json = (value: unknown) => ({ 'Content-Type': 'application/json', body: JSON.stringify(value) });
      const add = (c: Omit<Case, 'op' | 'url'> & { url?: string; ids?: typeof KEEP }) => {
        const ids = c.ids ?? (c.mustFail ? KEEP : SCRATCH);
        const { ids: _ids, ...rest } = c;
        // A route for user tokens is called with the token of the user the case may touch: the kept one only when the
        // request must be refused, as the kept records are everywhere else.
        if (op.scope === 'user' && rest.headers.Authorization === admin.Authorization) {
          rest.headers = { ...rest.headers, Authorization: `Bearer ${c.mustFail ? userTokens.keep : userTokens.scratch}` };
        }
        cases.push({ op, url: c.url ?? withQuery(fill(ids)), ...rest });
      };
      const withBody = (value: unknown): Pick<Case, 'headers' | 'body'> => {
        if (value === undefined) return { headers: {} };
        const j = json(value);
        return { headers: { 'Content-Type': j['Content-Type'] }, body: j.body };
      };

      // Authentication and scopes: refused before anything else, whatever the body.
      if (op.secured) {
        const valid = withBody(baseline);
        add({ what: 'no Authorization', headers: { ...valid.headers }, body: valid.body, mustFail: true, expect: [401, 429] });
        add({ what: 'unknown key', headers: { ...valid.headers, Authorization: 'Bearer hk_unknown_key_000000000000000000' }, body: valid.body, mustFail: true, expect: [401, 429] });
        add({ what: 'not a bearer token', headers: { ...valid.headers, Authorization: 'Basic YWRtaW46YWRtaW4=' }, body: valid.body, mustFail: true, expect: [401, 429] });
        const narrow = Object.entries(keys).find(([scope]) => scope !== op.scope);
        // `any`: every key may call it, so no key is too narrow.
        if (op.scope === 'user') {
          // No API key, whatever its scopes, stands for a user here.
          add({ what: `key with only ${narrow![0]}`, headers: { ...valid.headers, Authorization: `Bearer ${narrow![1]}` }, body: valid.body, mustFail: true, expect: [401] });
        } else if (op.scope && op.scope !== 'any' && narrow) {
          add({ what: `key with only ${narrow[0]}`, headers: { ...valid.headers, Authorization: `Bearer ${narrow[1]}` }, body: valid.body, mustFail: true, expect: [403] });
        }
        // Bad input without a key is refused too, whichever check answers first.
        add({ what: 'malformed JSON without a key', headers: { 'Content-Type': 'application/json' }, body: '{"a":', mustFail: true });
        add({ what: 'XML without a key', headers: { 'Content-Type': 'application/xml' }, body: '<a/>', mustFail: true });
      }
      const auth = op.secured ? admin : {};

      // Bodies in a media type the operation does not take, and bodies that cannot be read.
      if (op.method !== 'GET' && op.method !== 'DELETE') {
        const foreign: Array<[string, string | undefined, string]> = [
          ['no Content-Type', undefined, JSON.stringify(baseline ?? { a: 1 })],
          ['XML', 'application/xml', '<recipient><email>x@example.com</email></recipient>'],
          ['multipart', 'multipart/form-data; boundary=XyZ', '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nx@example.com\r\n--XyZ--\r\n'],
          ['garbage text', 'text/plain', '\u00ff\u00fe garbage'],
          ['a form', 'application/x-www-form-urlencoded', 'email=x%40example.com&phone=1'],
          ['an unknown type', 'application/x-fuzz', 'garbage'],
        ];
        for (const [what, type, body] of foreign) {
          const accepted = type ? op.consumes.includes(type.split(';')[0]) : false;
          add({ what: `body as ${what}`, headers: { ...auth, ...(type ? { 'Content-Type': type } : {}) }, body, mustFail: !accepted && !op.consumes.includes('*/*') });
        }
        if (takesJson) {
          add({ what: 'malformed JSON', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"recipient": {', mustFail: true, expect: [400] });
          add({ what: 'JSON with a charset that is not UTF-8', headers: { ...auth, 'Content-Type': 'application/json; charset=ibm500' }, body: '{}', mustFail: true, expect: [415] });
          add({ what: 'JSON array nested 5000 deep', headers: { ...auth, 'Content-Type': 'application/json' }, body: '['.repeat(5000) + ']'.repeat(5000), mustFail: true, expect: [400] });
          add({ what: 'JSON object nested 3000 deep', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"a":'.repeat(3000) + '1' + '}'.repeat(3000), mustFail: true, expect: [400] });
          add({ what: 'unknown Content-Encoding', headers: { ...auth, 'Content-Type': 'application/json', 'Content-Encoding': 'x-fuzz' }, body: '{}', mustFail: true, expect: [415] });
          add({
            what: 'corrupt gzip',
            headers: { ...auth, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
            body: Buffer.concat([gzipSync(JSON.stringify(baseline ?? {})).subarray(0, 12), Buffer.from('not gzip at all')]),
            mustFail: true,
            expect: [400],
          });
          add({ what: 'body over the limit', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT + 10) }), mustFail: true, expect: [413] });
          add({ what: 'JSON null', headers: { ...auth, 'Content-Type': 'application/json' }, body: 'null', mustFail: true });
          add({ what: 'JSON string', headers: { ...auth, 'Content-Type': 'application/json' }, body: '"text"', mustFail: true });
          add({ what: 'NUL in a key', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"a\\u0000b": 1}', mustFail: true, expect: [400] });
          add({ what: 'lone surrogate at the top', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"x": "\\ud800"}', mustFail: true, expect: [400] });
        }
        add({
          what: 'form with too many parameters',
          headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&'),
          mustFail: true,
          expect: [413],
        });
      }

      // One field at a time of a JSON body described by a DTO.
      const schema = op.bodySchema ? resolve(op.bodySchema) : null;
      if (schema?.properties && baseline && typeof baseline === 'object' && takesJson) {
        // An inline schema describes what a sender posts (a provider's fields, a browser's form), checked after its
        // signature or secret: a wrong field is refused, but not necessarily with 400.
        const dto = Boolean(op.bodySchema?.$ref);
        const refusal = dto ? [400] : undefined;
        const send = (what: string, value: unknown, mustFail: boolean, expect?: number[]) => add({ what, ...withBody(value), headers: { ...auth, ...withBody(value).headers }, mustFail, expect });
        if (dto) send('an extra field', { ...baseline, fuzzExtra: 1 }, true, [400]);
        send('an array instead of an object', [baseline], dto);
        send('an empty object', {}, false);
        for (const [name, propSchema] of pick(Object.entries(schema.properties), MAX_PROPERTY_MUTATIONS)) {
          const prop = resolve(propSchema);
          const original = (baseline as Record<string, unknown>)[name];
          const wrongType = prop.type === 'string' ? 12345 : prop.type === 'array' ? { not: 'an array' } : prop.type === 'object' ? 'not an object' : prop.type === 'boolean' ? 'yes' : prop.type === 'integer' || prop.type === 'number' ? 'ten' : undefined;
          const mutated = (v: unknown) => ({ ...(baseline as object), [name]: v });
          if (wrongType !== undefined) send(`${name}: wrong type`, mutated(wrongType), dto, refusal);
          send(`${name}: null`, mutated(null), false);
          if (schema.required?.includes(name)) {
            const { [name]: _gone, ...rest } = baseline as Record<string, unknown>;
            send(`${name}: missing`, rest, dto, refusal);
          }
          send(`${name}: nested 2000 deep`, mutated(JSON.parse('['.repeat(2000) + ']'.repeat(2000))), true, [400]);
          send(`${name}: NUL`, mutated(typeof original === 'string' ? `${original}\u0000` : { k: 'a\u0000b' }), true, [400]);
          send(`${name}: lone surrogate`, mutated(typeof original === 'string' ? `${original}\ud83d` : ['\udc00']), true, [400]);
          if (prop.type === 'string') send(`${name}: 150,000 characters`, mutated('x'.repeat(150_000)), false);
          if (prop.type === 'integer' || prop.type === 'number') {
            for (const n of [1e308, -1e308, 99999999999999999999, -1, 0, 1.5, 2 ** 53 + 2]) send(`${name}: ${n}`, mutated(n), prop.maximum !== undefined && n > prop.maximum, undefined);
          }
          if (prop.type === 'array') send(`${name}: 10,000 items`, mutated(Array.from({ length: 10_000 }, () => sample(prop.items))), false);
          // One level down: null and wrong types inside a nested object.
          if (prop.properties && original && typeof original === 'object' && !Array.isArray(original)) {
            for (const [inner, innerSchema] of pick(Object.entries(prop.properties), 4)) {
              const innerProp = resolve(innerSchema);
              send(`${name}.${inner}: null`, mutated({ ...(original as object), [inner]: null }), false);
              const wrong = innerProp.type === 'string' ? 7 : innerProp.type === 'object' || innerProp.type === 'array' ? 'text' : innerProp.properties ? 'text' : undefined;
              if (wrong !== undefined) send(`${name}.${inner}: wrong type`, mutated({ ...(original as object), [inner]: wrong }), dto, refusal);
            }
          }
        }
        // A batch: the invalid field is named by its item.
        if (op.path === '/v1/notifications/batch') {
          const item = (baseline as { items: Array<Record<string, unknown>> }).items[0];
          send('items[1] with NUL', { items: [item, { ...item, category: 'a\u0000b' }] }, true, [400]);
          send('items[2] content null', { items: [item, item, { ...item, content: null }] }, true, [400]);
        }
      }

      // Query strings: a parameter twice, escapes that are not UTF-8, NUL, lone surrogates, numbers out of range.
      for (const p of [...queryParams, { name: 'token', in: 'query' as const, schema: { type: 'string' } }]) {
        const q = encodeURIComponent(p.name);
        const other = requiredQuery.split('&').filter((kv) => kv && !kv.startsWith(`${q}=`)).join('&');
        // Only requests that must be refused name the stored records.
        const url = (extra: string, mustFail = true) => `${fill(mustFail ? KEEP : SCRATCH)}?${[other, extra].filter(Boolean).join('&')}`;
        const empty = withBody(baseline);
        const headers = { ...auth, ...empty.headers };
        add({ what: `?${p.name} twice`, url: url(`${q}=a&${q}=b`), headers, body: empty.body, mustFail: true, expect: [400] });
        add({ what: `?${p.name} with NUL`, url: url(`${q}=a%00b`), headers, body: empty.body, mustFail: true, expect: [400] });
        add({ what: `?${p.name} not UTF-8`, url: url(`${q}=%ff%fe`), headers, body: empty.body, mustFail: true, expect: [400] });
        add({ what: `?${p.name} lone surrogate`, url: url(`${q}=%ED%A0%80`), headers, body: empty.body, mustFail: true, expect: [400] });
        add({ what: `?${p.name} 8,000 characters`, url: url(`${q}=${'x'.repeat(8000)}`, false), headers, body: empty.body, mustFail: false });
        const s = resolve(p.schema);
        if (s.type === 'integer' || s.type === 'number') {
          for (const [n, mustFail] of [['99999999999999999999', true], ['1e308', true], ['1.5', true], ['abc', true], ['-1', false], ['0x10', false], ['', false]] as const) {
            add({ what: `?${p.name}=${n}`, url: url(`${q}=${n}`, mustFail), headers, body: empty.body, mustFail, expect: mustFail ? [400] : undefined });
          }
        }
      }

      // Path parameters: traversal, NUL, escapes that are not UTF-8, lone surrogates, very long values.
      for (const p of op.parameters.filter((x) => x.in === 'path')) {
        const valid = withBody(baseline);
        const headers = { ...auth, ...valid.headers };
        const variants: Array<[string, string, boolean]> = [
          ['traversal', '..%2F..%2Fetc%2Fpasswd', false],
          ['dot segments', '%2E%2E', false],
          ['NUL', 'a%00b', true],
          ['not UTF-8', '%ff', true],
          ['lone surrogate', '%ED%B0%80', true],
          ['5,000 characters', 'x'.repeat(5000), false],
          ['unicode', encodeURIComponent('ünï-çødé'), false],
          ['spaces and quotes', encodeURIComponent(`a b'"; DROP TABLE recipients;--`), false],
        ];
        for (const [what, raw, mustFail] of variants) {
          add({ what: `{${p.name}} ${what}`, url: withQuery(fill(SCRATCH, { name: p.name, raw })), headers, body: valid.body, mustFail, expect: mustFail ? [400] : undefined });
        }
      }
    }
    return cases;
  }

  async function send(c: Case): Promise<{ status: number; type: string; body: string; requestId: string | undefined }> {
    const res = await rawRequest(base, { method: c.op.method, path: c.url, headers: c.headers, body: c.body, agent });
    return { status: res.status, type: res.type, body: res.text, requestId: res.headers['x-request-id'] as string | undefined };
  }

  function shapeProblem(res: { type: string; body: string }): string | null {
    if (!res.type.startsWith('application/json')) return `not JSON (${res.type || 'no Content-Type'})`;
    let parsed: any;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      return 'unparsable JSON';
    }
    const error = parsed?.error;
    if (typeof error?.code !== 'string' || !/^[a-z0-9_]+$/.test(error.code)) return `no error.code: ${res.body.slice(0, 200)}`;
    if (typeof error.message !== 'string' || !error.message) return 'no error.message';
    if (error.details !== undefined && !(Array.isArray(error.details) && error.details.every((d: any) => typeof d?.field === 'string' && typeof d?.reason === 'string'))) {
      return `malformed details: ${JSON.stringify(error.details).slice(0, 200)}`;
    }
    const extra = Object.keys(parsed).filter((k) => k !== 'error');
    return extra.length ? `extra top-level keys ${extra.join(',')}` : null;
  }

  it('answers every case with a 4xx in the documented shape where one is due, never a 5xx, and stays healthy', async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(40);
    const cases = buildCases(ops);
    expect(cases.length).toBeGreaterThan(1000);
    expect(cases.length).toBeLessThan(4000);
    // The document names every protected operation's scope, so every one of them is tried with a narrower key.
    expect(ops.filter((op) => op.secured && !op.scope)).toEqual([]);
    expect(cases.filter((c) => c.what.startsWith('key with only')).length).toBe(ops.filter((op) => op.scope && op.scope !== 'any').length);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        const res = await send(c);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const label = `${c.op.method} ${c.op.path} [${c.what}] -> ${res.status}`;
        if (res.status >= 500) failures.push(`${label}: ${res.body.slice(0, 200)}`);
        else if (c.expect && !c.expect.includes(res.status)) failures.push(`${label}, expected ${c.expect.join(' or ')}: ${res.body.slice(0, 200)}`);
        else if (c.mustFail && res.status < 400) failures.push(`${label}, expected a refusal`);
        if (!res.requestId) failures.push(`${label}: no X-Request-Id`);
        if (res.status >= 400) {
          // The hosted pages answer people with HTML; everything else in the API's error shape.
          const problem = c.op.producesHtml && res.type.startsWith('text/html') ? null : shapeProblem(res);
          if (problem) failures.push(`${label}: ${problem}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    expect(failures.slice(0, 60)).toEqual([]);

    // Every class reached the server and was refused; the process is still healthy.
    expect(statuses.get(415)).toBeGreaterThan(0);
    expect(statuses.get(413)).toBeGreaterThan(0);
    await herald.http.get('/health/live').expect(200);
    await herald.http.get('/health/ready').expect(200);

    // Nothing that was refused changed what was stored.
    const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
    const profile = await herald.http.get(`/v1/recipients/${KEEP.userId}`).set(auth).expect(200);
    expect(profile.body).toEqual(storedProfileRead);
    expect(profile.body).toMatchObject({ userId: KEEP.userId, email: STORED_PROFILE.email, phone: STORED_PROFILE.phone });
    const { rows } = await herald.db.query(`SELECT device_tokens, chat_destinations FROM recipients WHERE user_id = $1`, [KEEP.userId]);
    expect(JSON.stringify(rows[0].device_tokens)).toContain(STORED_PROFILE.deviceTokens[0].token);
    expect(JSON.stringify(rows[0].chat_destinations)).toContain(STORED_PROFILE.chatDestinations[0].url);
    const prefs = await herald.http.get(`/v1/recipients/${KEEP.userId}/preferences`).set(auth).expect(200);
    expect(prefs.body).toMatchObject(STORED_PREFERENCES);
    const categories = await herald.http.get('/v1/categories').set(auth).expect(200);
    expect(categories.body.find((c: { name: string }) => c.name === KEEP.name)).toEqual({ name: KEEP.name, description: 'kept', critical: false, channelDefaults: { email: true } });
    const topic = await herald.http.get(`/v1/topics/${KEEP.key}`).set(auth).expect(200);
    expect(topic.body).toMatchObject({ key: KEEP.key, name: 'Kept topic', subscriberCount: 0 });
    const template = await herald.http.get(`/v1/templates/${KEEP.key}`).set(auth).expect(200);
    expect(template.body).toMatchObject({ version: 1, locales: { en: { sms: { text: 'kept' } } } });
  }, 300_000);
});
