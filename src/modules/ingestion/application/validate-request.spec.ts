import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { conformsToDto } from '../../../infrastructure/http/dto-conformance';
import { CreateNotificationDto } from '../schema/create-notification.dto';
import { validateRequest } from './validate-request';

/** What the checks gave before the quick path: class instances, validated, turned back into plain data. */
function throughClasses(body: object): unknown {
  const dto = plainToInstance(CreateNotificationDto, body);
  return validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }).length ? 'invalid' : JSON.parse(JSON.stringify(dto));
}

describe('validateRequest', () => {
  const good = {
    recipient: { email: 'buyer@example.com', userId: 'c-1' },
    channels: ['email'],
    category: 'orders',
    content: { email: { subject: 'Order o-1 received', text: 'Total 10' } },
    metadata: { orderId: 'o-1', total: 10, rule: 'order-created' },
  };

  it('accepts a valid request as the same plain data the class path gives, not the object it was given', () => {
    // The quick path: no class instance is built for it.
    expect(conformsToDto(CreateNotificationDto, good)).toBe(true);
    const checked = validateRequest(good);
    expect(checked).toEqual({ ok: true, request: throughClasses(good) });
    if (!checked.ok) throw new Error('rejected');
    expect(checked.request).not.toBe(good);
    expect(Object.getPrototypeOf(checked.request)).toBe(Object.prototype);
  });

  it('drops keys whose value is undefined, as JSON does', () => {
    const checked = validateRequest({ ...good, recipient: { email: 'buyer@example.com', userId: undefined } });
    expect(checked).toEqual({ ok: true, request: { ...good, recipient: { email: 'buyer@example.com' } } });
    if (checked.ok) expect('userId' in checked.request.recipient).toBe(false);
  });

  it('still names every issue of a bad request', () => {
    expect(validateRequest({ ...good, recipient: { email: 'not-an-email' } })).toEqual({ ok: false, issues: [{ field: 'recipient.email', reason: 'must be a valid email address' }] });
    const unknown = validateRequest({ ...good, surprise: true });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.issues.map((i) => i.field)).toContain('surprise');
    expect(validateRequest([good])).toEqual({ ok: false, issues: [{ field: '(body)', reason: 'must be a JSON object' }] });
  });

  it('applies the rules across fields after the DTO checks', () => {
    const checked = validateRequest({ ...good, channels: ['sms'] });
    expect(checked.ok).toBe(false);
  });
});

describe('validateRequest of JSON data the caller hands over', () => {
  const built = () => ({
    recipient: { email: 'buyer@example.com' },
    channels: ['email'],
    content: { email: { subject: 'Order o-1 received', text: 'Total 10' } },
    metadata: { lines: [{ sku: 's-1', qty: 2 }] },
  });

  it('takes a conforming body as it is, equal to what the copy through JSON gives', () => {
    const body = built();
    const checked = validateRequest(body, { json: true });
    expect(checked).toEqual({ ok: true, request: throughClasses(built()) });
    if (checked.ok) expect(checked.request).toBe(body);
  });

  it('still names every issue, and still applies the rules across fields', () => {
    expect(validateRequest({ ...built(), recipient: { email: 'not-an-email' } }, { json: true })).toEqual({
      ok: false,
      issues: [{ field: 'recipient.email', reason: 'must be a valid email address' }],
    });
    expect(validateRequest({ ...built(), channels: ['sms'] }, { json: true }).ok).toBe(false);
  });
});
