import { applyRules, render, type MappingRule, type SourceEvent } from './mapping-rule';
import { parseRulesDocument } from './rules-document';

const shipped: MappingRule = {
  name: 'order-shipped',
  match: { table: ['orders'], eventName: ['MODIFY'], when: [{ changed: 'status', from: 'placed', to: 'shipped' }] },
  notify: {
    recipient: { email: 'new.customer.email' },
    channels: ['email'],
    content: { email: { subject: 'Order {{new.pk}} shipped', text: 'Hello {{ new.customer.name }}' } },
    category: 'orders',
    metadata: { orderId: 'new.pk' },
  },
};

function modify(oldStatus: unknown, newStatus: unknown, extra: Record<string, unknown> = {}): SourceEvent {
  const customer = { email: 'ada@example.com', name: 'Ada' };
  return {
    id: 'e1',
    table: 'orders',
    eventName: 'MODIFY',
    document: { old: { pk: 'o-1', status: oldStatus, customer }, new: { pk: 'o-1', status: newStatus, customer, ...extra } },
  };
}

describe('applyRules', () => {
  it('fires a "changed from X to Y" rule only on that change', () => {
    expect(applyRules([shipped], modify('placed', 'shipped'))).toEqual([
      {
        kind: 'request',
        rule: 'order-shipped',
        request: {
          recipient: { email: 'ada@example.com' },
          channels: ['email'],
          content: { email: { subject: 'Order o-1 shipped', text: 'Hello Ada' } },
          category: 'orders',
          metadata: { eventId: 'e1', rule: 'order-shipped', orderId: 'o-1' },
        },
      },
    ]);
    expect(applyRules([shipped], modify('placed', 'cancelled'))).toEqual([]);
    expect(applyRules([shipped], modify('shipped', 'shipped', { note: 'x' }))).toEqual([]);
    expect(applyRules([shipped], modify('packed', 'shipped'))).toEqual([]);
    expect(applyRules([shipped], { ...modify('placed', 'shipped'), eventName: 'INSERT' })).toEqual([]);
    expect(applyRules([shipped], { ...modify('placed', 'shipped'), table: 'invoices' })).toEqual([]);
  });

  it('reports a matching event without a recipient or a template value as invalid, with the reason', () => {
    const event = modify('placed', 'shipped');
    (event.document.new as Record<string, unknown>).customer = {};
    expect(applyRules([shipped], event)).toEqual([
      { kind: 'invalid', rule: 'order-shipped', reason: 'recipient.email: no value at new.customer.email; content.email.text: no value at new.customer.name' },
    ]);
  });

  it('supports equals, notEquals, in and exists conditions', () => {
    const rule = (when: MappingRule['match']['when']): MappingRule => ({ ...shipped, match: { when } });
    const event = modify('placed', 'shipped');
    expect(applyRules([rule([{ path: 'new.status', equals: 'shipped' }])], event)).toHaveLength(1);
    expect(applyRules([rule([{ path: 'new.status', notEquals: 'shipped' }])], event)).toHaveLength(0);
    expect(applyRules([rule([{ path: 'new.status', in: ['a', 'shipped'] }])], event)).toHaveLength(1);
    expect(applyRules([rule([{ path: 'new.missing', exists: false }])], event)).toHaveLength(1);
    expect(applyRules([rule([{ path: 'new.pk', exists: false }])], event)).toHaveLength(0);
  });

  it('renders numbers and nested values', () => {
    expect(render('{{a.b}} / {{n}} / {{o}}', { a: { b: 'x' }, n: 4, o: { k: 1 } })).toEqual({ text: 'x / 4 / {"k":1}', missing: [] });
  });
});

describe('parseRulesDocument', () => {
  it('accepts a valid document', () => {
    const { rules, problems } = parseRulesDocument({
      rules: [{ name: 'r', match: { table: 't', eventName: 'INSERT', when: [{ path: 'new.a', equals: 1 }] }, notify: { recipient: { email: 'new.e' }, channels: ['email'], content: { email: { subject: 's', text: 't' } } } }],
    });
    expect(problems).toEqual([]);
    expect(rules[0].match).toEqual({ table: ['t'], eventName: ['INSERT'], when: [{ path: 'new.a', equals: 1 }] });
  });

  it('names every problem with its place', () => {
    const { rules, problems } = parseRulesDocument({
      rules: [
        { name: 'r', match: { eventName: ['UPSERT'], when: [{ path: 'new.a' }] }, notify: { recipient: { mail: 'new.e' }, channels: ['pigeon'], content: {} } },
        { name: 'r', notify: { recipient: { email: 'new.e' }, channels: ['email'], content: { email: { subject: 's' } } }, extra: 1 },
      ],
    });
    expect(rules).toEqual([]);
    expect(problems).toEqual([
      'rules[0].match.eventName: unknown UPSERT; use INSERT, MODIFY, REMOVE',
      'rules[0].match.when[0] needs exactly one of equals, notEquals, in, exists',
      'rules[0].notify.recipient.mail: unknown field; use userId, email, phone',
      'rules[0].notify.channels: unknown pigeon; use email, sms, push, webpush, chat, inapp',
      'rules[0].notify.content.pigeon is missing',
      'rules[1].extra: unknown key; expected name, match, notify',
      'rules[1].name "r" is used by another rule',
    ]);
  });

  it('refuses a document without a rules list', () => {
    expect(parseRulesDocument([]).problems).toEqual(['the file must hold an object with a "rules" list']);
  });
});
