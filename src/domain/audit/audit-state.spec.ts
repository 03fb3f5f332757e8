import { auditedIds, differs, MAX_AUDITED_IDS } from './audit-state';

describe('audit state', () => {
  it('tells a change from a replay whatever the key order', () => {
    expect(differs({ a: 1, b: { c: true, d: false } }, { b: { d: false, c: true }, a: 1 })).toBe(false);
    expect(differs({ a: 1 }, { a: 2 })).toBe(true);
    expect(differs(null, { a: 1 })).toBe(true);
  });

  it('keeps at most MAX_AUDITED_IDS ids and counts the ones left out', () => {
    expect(auditedIds(['x', 'y'])).toEqual({ count: 2, ids: ['x', 'y'] });
    const many = Array.from({ length: MAX_AUDITED_IDS + 5 }, (_, i) => `id-${i}`);
    const kept = auditedIds(many);
    expect(kept.ids).toHaveLength(MAX_AUDITED_IDS);
    expect(kept).toMatchObject({ count: MAX_AUDITED_IDS + 5, idsLeftOut: 5 });
  });
});
