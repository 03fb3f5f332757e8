import { conditionIssues, evaluateValueCondition, outcomesReached } from './conditions';

const anySend = () => null;

describe('conditions', () => {
  const context = { payload: { order: { total: 120, items: ['a'] }, vip: true, tier: 'gold' }, recipient: { locale: 'fr', attributes: { plan: 'pro' } } };

  it('tests payload and recipient values', () => {
    expect(evaluateValueCondition({ payload: 'order.total', equals: 120 }, context)).toBe(true);
    expect(evaluateValueCondition({ payload: 'order.total', equals: '120' }, context)).toBe(false);
    expect(evaluateValueCondition({ payload: 'order.items', equals: ['a'] }, context)).toBe(true);
    expect(evaluateValueCondition({ payload: 'tier', in: ['gold', 'platinum'] }, context)).toBe(true);
    expect(evaluateValueCondition({ payload: 'tier', in: ['silver'] }, context)).toBe(false);
    expect(evaluateValueCondition({ payload: 'tier', notEquals: 'silver' }, context)).toBe(true);
    expect(evaluateValueCondition({ payload: 'coupon', exists: false }, context)).toBe(true);
    expect(evaluateValueCondition({ payload: 'vip', exists: true }, context)).toBe(true);
    expect(evaluateValueCondition({ recipient: 'attributes.plan', equals: 'pro' }, context)).toBe(true);
    expect(evaluateValueCondition({ recipient: 'locale', equals: 'de' }, context)).toBe(false);
  });

  it('reads the outcomes a notification state proves', () => {
    expect([...outcomesReached({ status: 'queued' })]).toEqual([]);
    expect([...outcomesReached({ status: 'delivered' })]).toEqual(['delivered']);
    expect(outcomesReached({ status: 'clicked' })).toEqual(new Set(['delivered', 'seen', 'read', 'clicked']));
    expect([...outcomesReached({ status: 'bounced' })]).toEqual(['failed']);
    expect(outcomesReached({ status: 'sent', inboxed: true })).toEqual(new Set(['delivered']));
    expect(outcomesReached({ status: 'sent', inboxed: true, seen: true })).toEqual(new Set(['delivered', 'seen']));
    expect(outcomesReached({ status: 'sent', inboxed: true, seen: true, read: true })).toEqual(new Set(['delivered', 'seen', 'read']));
  });

  it('names what is wrong with a condition', () => {
    expect(conditionIssues({ payload: 'a', equals: 1 }, 'if', anySend)).toEqual([]);
    expect(conditionIssues({ step: 's', is: 'seen', within: '1h' }, 'if', anySend)).toEqual([]);
    expect(conditionIssues('x', 'if', anySend)).toEqual([{ field: 'if', reason: 'must be a condition on payload, recipient or step' }]);
    expect(conditionIssues({ payload: 'a', recipient: 'b', equals: 1 }, 'if', anySend)[0].reason).toContain('exactly one of payload');
    expect(conditionIssues({ payload: 'a' }, 'if', anySend)[0].reason).toContain('exactly one of equals');
    expect(conditionIssues({ payload: 'a', equals: 1, exists: true }, 'if', anySend)[0].field).toBe('if');
    expect(conditionIssues({ payload: 'a', like: 'x' }, 'if', anySend).map((i) => i.field)).toContain('if.like');
    expect(conditionIssues({ step: 's', is: 'opened', within: 'soon' }, 'if', anySend).map((i) => i.field)).toEqual(['if.is', 'if.within']);
    expect(conditionIssues({ step: 's', is: 'seen' }, 'if', () => 'not a send step')).toEqual([{ field: 'if.step', reason: 'must be the id of an earlier send step: not a send step' }]);
  });
});
