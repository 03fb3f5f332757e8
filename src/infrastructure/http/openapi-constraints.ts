import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * The limits and formats the validation enforces, copied into the document's schemas from the same
 * class-validator metadata the ValidationPipe reads, so that the two cannot disagree: a client generated from the
 * document learns that `category` is at most 100 characters without a second copy of the number in @ApiProperty.
 * Only what a schema does not say already is added.
 */
const RULES: Record<string, (constraints: unknown[]) => Partial<SchemaObject> | null> = {
  maxLength: ([n]) => ({ maxLength: Number(n) }),
  minLength: ([n]) => ({ minLength: Number(n) }),
  max: ([n]) => ({ maximum: Number(n) }),
  min: ([n]) => ({ minimum: Number(n) }),
  isInt: () => ({ type: 'integer' }),
  isEmail: () => ({ format: 'email' }),
  isUrl: () => ({ format: 'uri' }),
  isUuid: () => ({ format: 'uuid' }),
  // A pattern with flags (such as i) has no OpenAPI spelling: left to the description.
  matches: ([pattern]) => (pattern instanceof RegExp && pattern.flags === '' ? { pattern: pattern.source } : null),
};
const ARRAY_RULES: Record<string, (constraints: unknown[]) => Partial<SchemaObject>> = {
  arrayMaxSize: ([n]) => ({ maxItems: Number(n) }),
  arrayMinSize: ([n]) => ({ minItems: Number(n) }),
  arrayNotEmpty: () => ({ minItems: 1 }),
};

function addMissing(schema: SchemaObject, extra: Partial<SchemaObject>): void {
  const target = schema as Record<string, unknown>;
  for (const [key, value] of Object.entries(extra)) {
    if (target[key] !== undefined) continue;
    // `integer` narrows `number`; any other declared type stays as declared.
    if (key === 'type' && target.type !== undefined && target.type !== 'number') continue;
    target[key] = value;
  }
  if (extra.type === 'integer' && target.type === 'number') target.type = 'integer';
}

function apply(property: SchemaObject, metadata: ValidationMetadata): void {
  const name = metadata.name ?? '';
  const constraints = (metadata.constraints ?? []) as unknown[];
  const arrayRule = ARRAY_RULES[name];
  if (arrayRule && property.type === 'array') return addMissing(property, arrayRule(constraints));
  const rule = RULES[name]?.(constraints);
  if (!rule) return;
  // `each: true` constrains the items of an array.
  const target = metadata.each && property.type === 'array' && property.items && !('$ref' in property.items) ? (property.items as SchemaObject) : property;
  if (target.type === 'array' || '$ref' in target || target.allOf) return;
  addMissing(target, rule);
}

export function withValidationConstraints(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  const storage = getMetadataStorage();
  // The classes class-validator knows, by name: each component schema is named after its DTO class.
  const classes = new Map<string, Function>();
  for (const target of (storage as unknown as { validationMetadatas: Map<Function, unknown> }).validationMetadatas.keys()) classes.set(target.name, target);
  for (const [name, schema] of Object.entries(schemas)) {
    const dto = classes.get(name);
    if (!dto || !schema.properties) continue;
    const metadatas = storage.getTargetValidationMetadatas(dto, undefined as unknown as string, false, false, undefined as unknown as string[]);
    for (const metadata of metadatas) {
      const property = schema.properties[metadata.propertyName] as SchemaObject | undefined;
      if (property && !('$ref' in property)) apply(property, metadata);
    }
  }
}
