import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { ValidationFailedError } from '../../domain/errors/domain-errors';
import { CreateNotificationBatchDto, CreateNotificationDto } from '../../modules/ingestion/schema/create-notification.dto';
import { conformsToDto } from './dto-conformance';
import { ValidatedBody } from './validated-body.pipe';
import { createValidationPipe } from './validation';

/** As the JSON body parser hands it over (structuredClone would make objects of another realm under jest). */
const parsed = (body: unknown): unknown => (body === undefined ? body : JSON.parse(JSON.stringify(body)));

const BODY = { type: 'body' as const, metatype: Object, data: undefined };

/** What the global pipe makes of a body: the plain data it hands on, or the issues it reports. */
async function standard(dto: new () => object, body: unknown): Promise<{ ok: unknown } | { issues: unknown }> {
  try {
    const instance = (await createValidationPipe().transform(parsed(body), { ...BODY, metatype: dto })) as object;
    return { ok: JSON.parse(JSON.stringify(instance)) };
  } catch (err) {
    if (err instanceof ValidationFailedError) return { issues: err.issues };
    throw err;
  }
}

async function viaPipe(dto: new () => object, body: unknown): Promise<{ ok: unknown } | { issues: unknown }> {
  try {
    return { ok: await new ValidatedBody(dto).transform(parsed(body), BODY) };
  } catch (err) {
    if (err instanceof ValidationFailedError) return { issues: err.issues };
    throw err;
  }
}

const email = (i: number) => ({
  recipient: { userId: `u-${i}`, email: `u-${i}@example.com` },
  channels: ['email'],
  content: { email: { subject: `Order ${i} shipped`, text: 'On its way' } },
  category: 'orders',
  metadata: { orderId: `o-${i}`, nested: { list: [1, 'two', null, { three: true }] } },
});

/** Accepted and refused bodies, including the corners where the pipe strips or skips keys. */
const SINGLE_BODIES: unknown[] = [
  email(1),
  { ...email(2), sendAt: '2026-12-24T18:00:00Z' },
  { recipient: { userId: 'u-3', deviceTokens: [{ token: 't', platform: 'fcm' }] }, channels: ['push'], content: { push: { title: 'T', body: 'B', data: { a: 'b' } } } },
  { recipient: { userId: 'u-4', chatDestinations: [{ type: 'slack', url: 'https://hooks.example.com/x', enabled: true }] }, content: { chat: { text: 'hi', blocks: [{ type: 'section' }] } } },
  { recipient: { userId: 'u-5' }, template: { key: 'order-shipped', data: { name: 'Ada' }, locale: 'fr' } },
  { recipient: { userId: 'u-6', phone: '+14155550100' }, channels: ['sms'], content: { sms: { text: 'code' } } },
  { ...email(7), category: null, metadata: null, content: { email: { subject: 'S', text: null } } },
  // An array where an object is expected: class-validator validates each item.
  { ...email(8), recipient: [{ userId: 'u-8' }] },
  {},
  { recipient: null },
  { ...email(9), recipient: { email: 'not-an-email' } },
  { ...email(10), channels: ['email', 'pigeon'] },
  { ...email(11), content: { email: { subject: '' } } },
  { ...email(12), surprise: true },
  { ...email(13), recipient: 'u-13' },
  { ...email(14), recipient: { userId: 'u-14', deviceTokens: [{ token: 't', platform: 'fcm', extra: 1 }] } },
  { ...email(15), sendAt: 'tomorrow' },
  { ...email(16), metadata: [] },
  { ...email(17), recipient: { userId: 'u-17', phone: '+1 415 555 0100' } },
  // Keys the pipe strips or class-transformer skips: the pipe decides, and passes on what it keeps.
  { ...email(18), metadata: { toString: 'x', kept: 1 } },
  { ...email(19), recipient: { userId: 'u-19', constructor: 'x' } },
  JSON.parse('{"recipient":{"userId":"u-20","__proto__":{"admin":true}},"content":{"email":{"subject":"S","text":"T"}}}'),
  { ...email(21), metadata: { prototype: { a: 1 } } },
  { ...email(22), hasOwnProperty: 1 },
  'a string body',
  null,
  [email(23)],
];

describe('ValidatedBody', () => {
  it.each(SINGLE_BODIES.map((body, i) => [i, body]))('answers single body #%i as the global ValidationPipe does', async (_i, body) => {
    expect(await viaPipe(CreateNotificationDto, body)).toEqual(await standard(CreateNotificationDto, body));
  });

  it('takes the quick way for the valid bodies above, except those with keys the pipe drops', () => {
    const quick = SINGLE_BODIES.map((body, i) => [i, conformsToDto(CreateNotificationDto, parsed(body))]).filter(([, yes]) => yes);
    expect(quick.map(([i]) => i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('answers batches as the global ValidationPipe does, with every invalid field listed', async () => {
    const batches = [
      { items: Array.from({ length: 50 }, (_, i) => email(i)) },
      { items: [...Array.from({ length: 5 }, (_, i) => ({ ...email(i), idempotencyKey: `k-${i}` })), { ...email(5), idempotencyKey: '' }] },
      { items: SINGLE_BODIES },
      { items: [] },
      { items: {} },
      { items: [email(1)], more: 1 },
    ];
    for (const batch of batches) expect(await viaPipe(CreateNotificationBatchDto, batch)).toEqual(await standard(CreateNotificationBatchDto, batch));
  });

  it('passes a conforming body on as the same plain data, without the standard pipe', () => {
    const body = { items: [email(1), { ...email(2), idempotencyKey: 'k' }] };
    expect(conformsToDto(CreateNotificationBatchDto, body)).toBe(true);
    expect(new ValidatedBody(CreateNotificationBatchDto).transform(body, BODY)).toBe(body);
  });
});

class Leaf {
  @IsString() name!: string;
}

@ValidatorConstraint({ async: true })
class Async implements ValidatorConstraintInterface {
  validate(value: unknown): Promise<boolean> {
    return Promise.resolve(value === 'yes');
  }
}

class WithAsyncRule {
  @Validate(Async) answer!: string;
}

class WithCondition {
  @IsString() kind!: string;
  @ValidateIf((o: WithCondition) => o.kind === 'named') @IsString() name?: string;
}

class WithTransform {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)) @IsString() @MaxLength(3) code!: string;
}

class WithDefault {
  @IsOptional() @IsIn(['a', 'b']) mode: string = 'a';
}

class WithUntypedNested {
  @ValidateNested() leaf!: Leaf;
}

class WithNested {
  @IsDefined() @ValidateNested({ each: true }) @Type(() => Leaf) leaves!: Leaf[];
  @IsOptional() @IsIn(['x', 'y'], { each: true }) tags?: string[];
}

describe('conformsToDto', () => {
  it('accepts nested classes, arrays of them and rules applied to each item', () => {
    expect(conformsToDto(WithNested, { leaves: [{ name: 'a' }, [{ name: 'b' }]], tags: ['x', 'y'] })).toBe(true);
    expect(conformsToDto(WithNested, { leaves: [{ name: 'a' }], tags: ['x', 'z'] })).toBe(false);
    expect(conformsToDto(WithNested, { leaves: [{ name: 1 }] })).toBe(false);
    expect(conformsToDto(WithNested, { leaves: ['a'] })).toBe(false);
    expect(conformsToDto(WithNested, {})).toBe(false);
  });

  it('leaves to the standard pipe what it does not model', () => {
    expect(conformsToDto(WithAsyncRule, { answer: 'yes' })).toBe(false);
    expect(conformsToDto(WithCondition, { kind: 'named', name: 'n' })).toBe(false);
    expect(conformsToDto(WithTransform, { code: 'abc' })).toBe(false);
    expect(conformsToDto(WithDefault, {})).toBe(false);
    expect(conformsToDto(WithUntypedNested, { leaf: { name: 'a' } })).toBe(false);
    expect(conformsToDto(Leaf, Object.assign(Object.create(null) as object, { name: 'a' }))).toBe(false);
  });

  it('gives way to the standard pipe for rules it leaves out, which still apply', async () => {
    const run = (dto: new () => object, body: unknown) => Promise.resolve(new ValidatedBody(dto).transform(body, BODY));
    await expect(run(WithAsyncRule, { answer: 'yes' })).resolves.toEqual({ answer: 'yes' });
    await expect(run(WithAsyncRule, { answer: 'no' })).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(run(WithCondition, { kind: 'other', name: 1 })).resolves.toEqual({ kind: 'other', name: 1 });
    await expect(run(WithTransform, { code: ' abc ' })).resolves.toEqual({ code: 'abc' });
    await expect(run(WithDefault, {})).resolves.toEqual({ mode: 'a' });
  });
});
