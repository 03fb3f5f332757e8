import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { committedDocument, COMMITTED_DOCUMENT, ROOT, runBin, type Json } from './openapi-tools';

async function lint(file: string): Promise<{ code: number; rules: string[]; output: string }> {
  const { code, output } = await runBin('spectral', ['lint', file, '--ruleset', join(ROOT, '.spectral.yaml'), '--fail-severity', 'warn', '--format', 'json', '--quiet']);
  const start = output.indexOf('[');
  const results = start >= 0 ? (JSON.parse(output.slice(start)) as Array<{ code: string }>) : [];
  return { code, rules: [...new Set(results.map((r) => r.code))].sort(), output };
}

/** Every schema object of the document, with where it is. */
function schemasOf(node: unknown, at: string, out: Array<{ at: string; schema: Json }> = []): Array<{ at: string; schema: Json }> {
  if (!node || typeof node !== 'object') return out;
  const value = node as Json;
  if (typeof value.type === 'string' || value.nullable !== undefined) out.push({ at, schema: value });
  for (const [key, child] of Object.entries(value)) if (key !== 'example' && key !== 'examples') schemasOf(child, `${at}/${key}`, out);
  return out;
}

describe('openapi.json', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-openapi-lint-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the Spectral ruleset (spectral:oas and Herald rules) with no error and no warning', async () => {
    const result = await lint(COMMITTED_DOCUMENT);
    expect({ code: result.code, rules: result.rules }).toEqual({ code: 0, rules: [] });
  }, 120_000);

  it('the Herald rules catch an operation without a valid x-herald-scope, and a 4xx without the error schema or not as JSON', async () => {
    const doc = committedDocument();
    delete doc.paths['/health/live'].get['x-herald-scope'];
    doc.paths['/v1/recipients/{userId}'].get['x-herald-scope'] = 'notifications:everything';
    doc.paths['/v1/notifications'].post.responses['400'].content['application/json'].schema = { type: 'object' };
    delete doc.paths['/v1/fanouts/{id}'].get.responses['404'].content;
    doc.paths['/v1/users/{userId}/inbox/stream'].get.responses['401'].content = { 'text/event-stream': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } };
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify(doc));
    const result = await lint(broken);
    expect(result.code).not.toBe(0);
    expect(result.rules).toEqual(['herald-error-response-has-content', 'herald-error-response-media-type', 'herald-error-response-schema', 'herald-operation-scope']);
    expect(result.output).toContain('/health/live');
    expect(result.output).toContain('recipients');
  }, 120_000);

  it('types every value: no schema is a bare object, and nothing nullable lacks a type', () => {
    const problems = schemasOf(committedDocument(), '#')
      .filter(({ schema }) => (schema.type === 'object' && !schema.properties && schema.additionalProperties === undefined && !schema.allOf) || (schema.nullable && !schema.type && !schema.allOf))
      .map(({ at }) => at);
    expect(problems).toEqual([]);
  });

  it('says for every operation what it needs, in x-herald-scope and in its description', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries<Json>(committedDocument().paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        const scope = op['x-herald-scope'];
        const sentence =
          scope === 'public' ? 'Needs no API key.' : scope === 'any' ? 'Needs an API key, whatever its scopes.' : scope === 'user' ? 'Needs a user token' : `Needs an API key with the \`${scope}\` scope`;
        if (!scope || !String(op.description).includes(sentence)) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('carries the limits and formats of the validation (copied from the class-validator rules)', () => {
    const schemas: Record<string, Json> = committedDocument().components.schemas;
    expect(schemas.CreateNotificationDto.properties.category).toMatchObject({ type: 'string', nullable: true, pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' });
    expect(schemas.RecipientDto.properties.email).toMatchObject({ format: 'email', maxLength: 254 });
    expect(schemas.SubscribersDto.properties.userIds).toMatchObject({ minItems: 1, maxItems: 10000, items: { pattern: '^[\\x21-\\x7e]{1,200}$' } });
  });
});
