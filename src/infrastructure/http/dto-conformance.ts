import { plainToInstance, TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, validateSync, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { ConstraintMetadata } from 'class-validator/types/metadata/ConstraintMetadata';
import type { FieldIssue } from '../../domain/errors/domain-errors';
import { flattenValidationErrors } from './validation';

/**
 * A quick, synchronous answer to "would the global ValidationPipe accept this JSON value for this DTO
 * as it is?", read from the same class-validator and class-transformer metadata the pipe uses.
 *
 * The pipe builds class instances (class-transformer), then walks them with class-validator, which looks
 * up the metadata of every nested object again, creates an error record for every property and a promise
 * for every constraint: about 0.1 ms per notification, the largest share of the api's CPU during intake.
 * Here each class's rules are looked up once, and the walk runs the same constraint functions on the
 * parsed JSON directly.
 *
 * The answer is only ever "yes" or "not sure": anything unusual (a failed constraint, a key the pipe would
 * strip or that class-transformer would skip, a value that is not plain JSON, a rule this walk does not
 * model) answers "not sure", and the caller then runs the pipe itself, which gives the errors. So errors
 * always come from class-validator, and a "yes" means the pipe would have returned the same data.
 */
export function conformsToDto(dto: Function, value: unknown): boolean {
  const plan = planOf(dto);
  return plan !== null && isPlainObject(value) && conformsObject(plan, value);
}

interface PropertyRules {
  name: string;
  /** @IsOptional(): a null or absent value skips every other rule. */
  optional: boolean;
  /** @IsDefined(), run even when optional is not given. */
  defined: Constraint[];
  constraints: Constraint[];
  /** @ValidateNested() with the class @Type() names; null when the property is not validated as nested. */
  nested: Plan | null;
  /** Holds free-form JSON (no nested class): checked only for keys the pipe would strip. */
  free: boolean;
}

interface Constraint {
  metadata: ValidationMetadata;
  validators: ConstraintMetadata[];
}

interface Plan {
  dto: Function;
  /** ValidationArguments.targetName. */
  name: string;
  properties: Map<string, PropertyRules>;
}

// The storage class-transformer's decorators write to; the package ships no typings beside this path.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformMetadataStorage };

const plans = new Map<Function, Plan | null>();
const planning = new Set<Function>();

/** null: this class has something the quick walk does not model; the pipe handles it. */
function planOf(dto: Function): Plan | null {
  if (plans.has(dto)) return plans.get(dto)!;
  if (planning.has(dto)) return null; // a class nested in itself: not modelled
  planning.add(dto);
  try {
    const plan = buildPlan(dto);
    plans.set(dto, plan);
    return plan;
  } finally {
    planning.delete(dto);
  }
}

function buildPlan(dto: Function): Plan | null {
  const storage = getMetadataStorage();
  // The question ValidationExecutor asks (no groups, always: false, strictGroups: false). Its schema name
  // only selects schema-registered rules, which are kept apart from a class's own.
  const metadatas = storage.getTargetValidationMetadatas(dto, undefined as unknown as string, false, false, undefined as unknown as string[]);
  if (metadatas.length === 0) return null; // forbidUnknownValues: the pipe refuses it
  if (!hasPlainClassTransform(dto)) return null;
  const properties = new Map<string, PropertyRules>();
  for (const [name, group] of Object.entries(storage.groupByPropertyName(metadatas))) {
    if (name in Object.prototype || name === 'prototype' || hasPrototypeMember(dto, name)) return null;
    if (defaultMetadataStorage.findTransformMetadatas(dto, name, TransformationType.PLAIN_TO_CLASS).length > 0) return null;
    const rules: PropertyRules = { name, optional: false, defined: [], constraints: [], nested: null, free: true };
    let nested = false;
    for (const metadata of group) {
      switch (metadata.type) {
        case ValidationTypes.IS_DEFINED:
        case ValidationTypes.CUSTOM_VALIDATION: {
          const validators = storage.getTargetValidatorConstraints(metadata.constraintCls);
          if (validators.some((v) => v.async)) return null;
          (metadata.type === ValidationTypes.IS_DEFINED ? rules.defined : rules.constraints).push({ metadata, validators });
          break;
        }
        case ValidationTypes.CONDITIONAL_VALIDATION:
          // Only @IsOptional(): a @ValidateIf() condition may expect a class instance.
          if (metadata.name !== 'isOptional') return null;
          rules.optional = true;
          break;
        case ValidationTypes.NESTED_VALIDATION:
          nested = true;
          break;
        case ValidationTypes.WHITELIST:
          break;
        default:
          return null;
      }
    }
    const type = defaultMetadataStorage.findTypeMetadata(dto, name);
    if (type) {
      // A class-transformer type without nested validation, or with sub-types: not modelled.
      if (!nested || !type.typeFunction || type.options?.discriminator) return null;
      const target = type.typeFunction() as unknown;
      if (typeof target !== 'function') return null;
      const plan = planOf(target);
      if (!plan) return null;
      rules.nested = plan;
      rules.free = false;
    } else if (nested) {
      // Nested validation of a plain object: class-validator finds no rules for Object and refuses it.
      return null;
    }
    properties.set(name, rules);
  }
  return { dto, name: dto.name, properties };
}

/** class-transformer copies plain data into the class as it is: no expose/exclude rules, no initialised fields. */
function hasPlainClassTransform(dto: Function): boolean {
  if (defaultMetadataStorage.getStrategy(dto) !== 'none') return false;
  if (defaultMetadataStorage.getExposedMetadatas(dto).length > 0 || defaultMetadataStorage.getExcludedMetadatas(dto).length > 0) return false;
  const instance = new (dto as new () => object)();
  return Object.values(instance).every((v) => v === undefined);
}

/** class-transformer skips a key that names a method or accessor of the class. */
function hasPrototypeMember(dto: Function, name: string): boolean {
  for (let proto = dto.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    if (Object.prototype.hasOwnProperty.call(proto, name)) return true;
  }
  return false;
}

function conformsObject(plan: Plan, object: Record<string, unknown>): boolean {
  // whitelist + forbidNonWhitelisted: every key must be a property with rules.
  for (const key in object) if (!plan.properties.has(key)) return false;
  for (const rules of plan.properties.values()) {
    const value = object[rules.name];
    if (rules.optional && (value === null || value === undefined)) continue;
    if (!passes(rules.defined, plan, object, value)) return false;
    if (!passes(rules.constraints, plan, object, value)) return false;
    if (value === undefined) continue;
    if (rules.nested ? !conformsNested(rules.nested, value) : rules.free && !keepsEveryKey(value)) return false;
  }
  return true;
}

/** As ValidationExecutor.nestedValidations: an array's items are each validated, at any depth. */
function conformsNested(plan: Plan, value: unknown): boolean {
  if (Array.isArray(value)) return value.every((item) => conformsNested(plan, item));
  return isPlainObject(value) && conformsObject(plan, value);
}

function passes(constraints: Constraint[], plan: Plan, object: object, value: unknown): boolean {
  for (const { metadata, validators } of constraints) {
    const args: ValidationArguments = { targetName: plan.name, property: metadata.propertyName, object, value, constraints: metadata.constraints };
    const each = metadata.each && Array.isArray(value);
    for (const validator of validators) {
      // Anything but true (a promise is an asynchronous answer) means not sure.
      if (each ? !value.every((v) => validator.instance.validate(v, args) === true) : validator.instance.validate(value, args) !== true) return false;
    }
  }
  return true;
}

/**
 * Free-form JSON (metadata, template data, push data, chat blocks) that the pipe passes on unchanged:
 * no key that its prototype-key stripping or class-transformer's copy would drop.
 */
function keepsEveryKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(keepsEveryKey);
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (key in Object.prototype || key === 'prototype') return false;
    if (!keepsEveryKey(value[key])) return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A body checked against a DTO outside the HTTP pipe (a stream record, a queue message), with the pipe's options:
 * a body that `conformsToDto` is taken as the plain data it is (as it is when `json`: the caller's own parsed JSON;
 * otherwise copied through JSON text); any other goes through class-transformer and class-validator, which give the
 * issues or the data as JSON would carry it.
 */
export function checkBodyAgainstDto(dto: new () => object, body: unknown, options: { json?: boolean } = {}): { ok: true; value: Record<string, unknown> } | { ok: false; issues: FieldIssue[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, issues: [{ field: '(body)', reason: 'must be a JSON object' }] };
  if (conformsToDto(dto, body)) return { ok: true, value: (options.json ? body : JSON.parse(JSON.stringify(body))) as Record<string, unknown> };
  const instance = plainToInstance(dto, body);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length) return { ok: false, issues: flattenValidationErrors(errors) };
  return { ok: true, value: JSON.parse(JSON.stringify(instance)) as Record<string, unknown> };
}
