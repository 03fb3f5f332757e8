/** Reading the OpenAPI document's request bodies and their examples, as Swagger UI's "Try it out" would send them. */
export type Schema = Record<string, any>;

export const PROVIDER_CALLBACK = /^\/v1\/(webhooks|inbound)\//;
export interface Operation {
  method: 'post' | 'put' | 'patch';
  path: string;
  op: Record<string, any>;
}

/** The body Swagger UI shows for a schema with no example of its own: built from its properties' examples. */
export function sampleOf(schema: Schema, components: Record<string, Schema>, depth = 0): unknown {
  const s = resolve(schema, components);
  if (depth > 12) throw new Error('schema too deep to sample');
  if (s.example !== undefined) return s.example;
  if (s.allOf) return Object.assign({}, ...s.allOf.map((part: Schema) => sampleOf(part, components, depth + 1)));
  if (s.oneOf ?? s.anyOf) return sampleOf((s.oneOf ?? s.anyOf)[0], components, depth + 1);
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.type === 'array') return [sampleOf(s.items ?? {}, components, depth + 1)];
  if (s.type === 'object' || s.properties || s.additionalProperties) {
    const out: Record<string, unknown> = {};
    for (const [name, property] of Object.entries<Schema>(s.properties ?? {})) out[name] = sampleOf(property, components, depth + 1);
    if (!s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') {
      out.additionalProp1 = sampleOf(s.additionalProperties, components, depth + 1);
    }
    return out;
  }
  if (s.type === 'string') return s.format === 'date-time' ? new Date().toISOString() : 'string';
  if (s.type === 'integer' || s.type === 'number') return 0;
  if (s.type === 'boolean') return true;
  return {};
}

export function resolve(schema: Schema, components: Record<string, Schema>): Schema {
  let s = schema;
  while (s.$ref) s = components[String(s.$ref).split('/').pop()!];
  return s;
}

/**
 * Every request-body example the document gives for an operation: the operation's own examples, and the example of
 * its body schema; with neither, the body Swagger UI builds from the property examples (what "Try it out" sends).
 */
export function examplesOf(operation: Operation, components: Record<string, Schema>): Array<{ name: string; body: unknown }> {
  const media = operation.op.requestBody?.content?.['application/json'];
  if (!media) return [];
  const found: Array<{ name: string; body: unknown }> = [];
  if (media.example !== undefined) found.push({ name: 'example', body: media.example });
  for (const [name, example] of Object.entries<{ value: unknown }>(media.examples ?? {})) found.push({ name: `examples.${name}`, body: example.value });
  const schema = resolve(media.schema ?? {}, components);
  if (schema.example !== undefined) found.push({ name: 'schema example', body: schema.example });
  if (found.length === 0) found.push({ name: 'built from the property examples', body: sampleOf(media.schema ?? {}, components) });
  return found;
}

/** The operation's path with every path parameter replaced by the example the document gives for it. */
export function pathOf(operation: Operation): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = (operation.op.parameters ?? []).find((p: Schema) => p.in === 'path' && p.name === name);
    const value = parameter?.example ?? parameter?.schema?.example ?? parameter?.schema?.enum?.[0];
    if (value === undefined) throw new Error(`${operation.method.toUpperCase()} ${operation.path}: path parameter ${name} has no example`);
    return encodeURIComponent(String(value));
  });
}

/**
 * The operations taking a JSON body, PUTs first: what an example names (a category, a recipient, a template, a
 * topic) is declared by the PUT examples, so a reader trying the document in this order gets no refusal.
 */
export function jsonBodyOperations(doc: Schema): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const method of ['put', 'post', 'patch'] as const) {
      // Provider callbacks take the provider's own posts, signed by the provider: no example can carry a valid
      // signature. Their parsing is tested with signed posts (delivery-tracking, recipients-preferences).
      if (PROVIDER_CALLBACK.test(path)) continue;
      if (item[method]?.requestBody?.content?.['application/json']) operations.push({ method, path, op: item[method] });
    }
  }
  return operations.sort((a, b) => Number(b.method === 'put') - Number(a.method === 'put'));
}
