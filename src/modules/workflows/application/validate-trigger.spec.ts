import { validateTrigger } from './validate-trigger';

describe('validateTrigger', () => {
  it('takes a trigger as POST /v1/events would, dropping nulls and keeping the payload as given', () => {
    const payload = { postId: 'p-7', nested: { a: [1, 2] } };
    expect(validateTrigger({ workflow: 'comment-digest', recipients: [{ userId: 'u-42', email: 'ada@example.com' }], payload, idempotencyKey: 'k-1', runKey: 'post-7' })).toEqual({
      ok: true,
      trigger: { workflow: 'comment-digest', recipients: [{ userId: 'u-42', email: 'ada@example.com' }], payload, runKey: 'post-7' },
    });
    expect(validateTrigger({ workflow: 'comment-digest', topic: 'followers', recipients: null, payload: {}, runKey: null })).toEqual({
      ok: true,
      trigger: { workflow: 'comment-digest', topic: 'followers', payload: {} },
    });
  });

  it('names every field that is wrong, as the API does', () => {
    const checked = validateTrigger({ workflow: 'Not A Key', recipients: [{ email: 'not-an-email' }], payload: 'text', runKey: 'x'.repeat(201), extra: 1 });
    expect(checked.ok).toBe(false);
    const fields = !checked.ok ? checked.issues.map((i) => i.field) : [];
    expect(fields).toEqual(expect.arrayContaining(['workflow', 'recipients[0].email', 'payload', 'runKey', 'extra']));
    expect(validateTrigger({ workflow: 'w', topic: 'Bad Topic', payload: {} })).toMatchObject({ ok: false, issues: [{ field: 'topic' }] });
    expect(validateTrigger({ workflow: 'w', payload: {} })).toEqual({ ok: false, issues: [{ field: 'recipients', reason: 'is required (or topic), not both' }] });
    expect(validateTrigger({ workflow: 'w', recipients: [{ userId: 'u' }], topic: 'followers', payload: {} })).toMatchObject({ ok: false, issues: [{ field: 'recipients' }] });
    expect(validateTrigger(['not', 'an', 'object'])).toEqual({ ok: false, issues: [{ field: '(body)', reason: 'must be a JSON object' }] });
  });
});
