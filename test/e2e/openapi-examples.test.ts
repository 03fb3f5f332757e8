import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';
import { vapidKeys } from '../support/peers/web-push-peer';
import { examplesOf, jsonBodyOperations, pathOf, resolve, type Operation, type Schema } from '../support/openapi-examples';

/** Every field its schema says nullable, in an example body or beside its fields, as a path of keys. */
function nullableFields(body: unknown, schema: Schema, components: Record<string, Schema>, at: string[] = []): string[][] {
  const s = resolve(schema, components);
  const parts = s.allOf ? s.allOf.map((part: Schema) => resolve(part, components)) : [s];
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const found: string[][] = [];
  for (const part of parts) {
    for (const [name, property] of Object.entries<Schema>(part.properties ?? {})) {
      if (property.nullable) found.push([...at, name]);
      found.push(...nullableFields((body as Record<string, unknown>)[name], property, components, [...at, name]));
    }
  }
  return found;
}

/** The body with the field at this path set to null, or left out. */
function withField(body: unknown, path: string[], value: null | undefined): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  if (value === undefined) delete parent[path[path.length - 1]];
  else parent[path[path.length - 1]] = null;
  return copy;
}

describe('the OpenAPI document', () => {
  let herald: Herald;
  let doc: Schema;
  let components: Record<string, Schema>;
  /** The routes for user tokens (x-herald-scope: user) refuse API keys: they are called with a user's token. */
  let userToken: string;
  beforeAll(async () => {
    const vapid = vapidKeys();
    herald = await startHerald({ INBOX_TOKEN_SECRET: 'examples-user-token-secret-of-32-bytes-or-more', VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey });
    doc = (await herald.http.get('/docs-json').expect(200)).body;
    components = doc.components?.schemas ?? {};
    const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
    userToken = (await herald.http.post('/v1/inbox/tokens').set(admin).send({ userId: 'u-examples' }).expect(201)).body.token;
    // A user changes only declared categories: the one the examples name is declared.
    await herald.http.put('/v1/categories/marketing').set(admin).send({ description: 'Offers', channelDefaults: { email: true } }).expect(200);
  });
  const send = (operation: Operation, body: unknown) =>
    herald.http[operation.method](pathOf(operation))
      .set('Authorization', `Bearer ${operation.op['x-herald-scope'] === 'user' ? userToken : ADMIN_KEY}`)
      .send(body as object);
  afterAll(() => herald.stop());

  it('every request-body example is accepted by the endpoint it documents', async () => {
    const operations = jsonBodyOperations(doc);
    expect(operations.length).toBeGreaterThanOrEqual(13);

    const refused: string[] = [];
    let sent = 0;
    for (const operation of operations) {
      for (const example of examplesOf(operation, components)) {
        const url = pathOf(operation);
        const res = await send(operation, example.body);
        sent++;
        if (res.status < 200 || res.status >= 300) {
          refused.push(`${operation.method.toUpperCase()} ${url} (${example.name}) -> ${res.status} ${JSON.stringify(res.body)}\n  sent ${JSON.stringify(example.body)}`);
        }
      }
    }
    expect(refused).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(operations.length);
  });

  it('a field the document marks nullable takes null as it takes its absence', async () => {
    const differ: string[] = [];
    let compared = 0;
    for (const operation of jsonBodyOperations(doc)) {
      const [example] = examplesOf(operation, components);
      const schema = operation.op.requestBody.content['application/json'].schema ?? {};
      const url = pathOf(operation);
      for (const field of nullableFields(example.body, schema, components)) {
        const absent = await send(operation, withField(example.body, field, undefined));
        const nulled = await send(operation, withField(example.body, field, null));
        compared++;
        if (absent.status !== nulled.status || nulled.status >= 500) {
          differ.push(`${operation.method.toUpperCase()} ${url} ${field.join('.')}: absent -> ${absent.status}, null -> ${nulled.status} ${JSON.stringify(nulled.body)}`);
        }
      }
    }
    expect(differ).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(30);
  });

  it('a limit the document gives (maxLength, maxItems, maximum) is one the endpoint enforces', async () => {
    const accepted: string[] = [];
    let tried = 0;
    for (const operation of jsonBodyOperations(doc)) {
      const [example] = examplesOf(operation, components);
      if (!example.body || typeof example.body !== 'object' || Array.isArray(example.body)) continue;
      const schema = resolve(operation.op.requestBody.content['application/json'].schema ?? {}, components);
      for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
        const over =
          property.maxLength !== undefined ? 'x'.repeat(property.maxLength + 1)
          : property.maxItems !== undefined ? Array.from({ length: property.maxItems + 1 }, (_, i) => ((example.body as Record<string, unknown[]>)[name]?.[0] ?? `item-${i}`))
          : property.maximum !== undefined ? property.maximum + 1
          : undefined;
        if (over === undefined) continue;
        tried++;
        const res = await send(operation, { ...(example.body as object), [name]: over });
        if (res.status !== 400) accepted.push(`${operation.method.toUpperCase()} ${operation.path} ${name} over its limit -> ${res.status}`);
      }
    }
    expect(accepted).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(8);
  });
});
