import { getMetadataStorage } from 'class-validator';
import { OPENAPI_COMMAND, OPENAPI_FILE, serializeOpenApi } from '../../src/cli/write-openapi';
import { committedDocument, type Json } from '../contract/openapi-tools';
import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';

/** Where two JSON values differ, as JSON pointers with both sides (at most `limit`). */
function differences(a: unknown, b: unknown, at = '#', out: string[] = [], limit = 20): string[] {
  if (out.length >= limit) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) differences((a as Json)[key], (b as Json)[key], `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, out, limit);
    return out;
  }
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 160));
  out.push(`${at}\n    committed: ${show(a)}\n    served:    ${show(b)}`);
  return out;
}

describe('the OpenAPI document served at /docs-json', () => {
  let herald: Herald;
  let served: Json;
  beforeAll(async () => {
    herald = await startHerald();
    served = (await herald.http.get('/docs-json').expect(200)).body as Json;
  });
  afterAll(() => herald.stop());

  it(`is the committed ${OPENAPI_FILE}`, () => {
    const committed = committedDocument();
    if (serializeOpenApi(committed) !== serializeOpenApi(served)) {
      const found = differences(committed, served);
      throw new Error(
        `${OPENAPI_FILE} is not the document the server serves. Regenerate it with \`${OPENAPI_COMMAND}\` and commit it.\n` +
          `First differences (committed vs served):\n  ${found.join('\n  ')}`,
      );
    }
  });

  it('marks nullable every optional field of a request body: the validation lets null through', () => {
    const schemas: Record<string, Json> = served.components.schemas;
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, Array<{ name?: string; propertyName: string }>> };
    const notNullable: string[] = [];
    let checked = 0;
    for (const [target, metadatas] of storage.validationMetadatas) {
      const schema = schemas[target.name];
      if (!schema) continue;
      for (const metadata of metadatas) {
        if (metadata.name !== 'isOptional') continue;
        checked++;
        const property = schema.properties?.[metadata.propertyName];
        if (!property?.nullable) notNullable.push(`${target.name}.${metadata.propertyName}`);
      }
    }
    expect(notNullable).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('a recipient PUT with email null clears it, as the document says', async () => {
    const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
    await herald.http.put('/v1/recipients/u-nullable').set(auth).send({ email: 'ada@example.com', locale: 'fr-CA' }).expect(200);
    const cleared = await herald.http
      .put('/v1/recipients/u-nullable')
      .set(auth)
      .send({ email: null, phone: null, locale: null, timezone: null, deviceTokens: null, chatDestinations: null, attributes: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ email: null, phone: null, locale: null, timezone: null });
  });
});
