import { newId } from './ids';

describe('newId', () => {
  it('makes distinct UUID version 7 ids that sort by time, across many draws of random bytes', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => newId(1_700_000_000_000 + i));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0].slice(0, 13)).toBe('018bcfe5-6800');
  });
});
