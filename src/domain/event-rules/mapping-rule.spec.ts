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

  it('produces a template reference with data and locale from the event, leaving out what the event lacks', () => {
    const rule: MappingRule = {
      ...shipped,
      notify: { ...shipped.notify, content: undefined, template: { key: 'order-shipped', data: { name: 'new.customer.name', orderId: 'new.pk', note: 'new.note' }, locale: '{{new.lang}}' } },
    };
    const [french] = applyRules([rule], modify('placed', 'shipped', { lang: 'fr' }));
    expect(french).toMatchObject({
      kind: 'request',
      request: { recipient: { email: 'ada@example.com' }, channels: ['email'], content: {}, template: { key: 'order-shipped', data: { name: 'Ada', orderId: 'o-1' }, locale: 'fr' } },
    });
    // No locale in the event: none in the request (the recipient's, then the template's default, apply).
    const [plain] = applyRules([rule], modify('placed', 'shipped'));
    expect(plain.kind === 'request' && plain.request.template).toEqual({ key: 'order-shipped', data: { name: 'Ada', orderId: 'o-1' } });
    // One path whose map is the whole of the data.
    const whole: MappingRule = { ...rule, notify: { ...rule.notify, template: { key: 'order-shipped', data: 'new.customer' } } };
    const [fromMap] = applyRules([whole], modify('placed', 'shipped'));
    expect(fromMap.kind === 'request' && fromMap.request.template).toEqual({ key: 'order-shipped', data: { email: 'ada@example.com', name: 'Ada' } });
    expect(applyRules([{ ...whole, notify: { ...whole.notify, template: { key: 'k', data: 'new.pk' } } }], modify('placed', 'shipped'))).toEqual([
      { kind: 'invalid', rule: 'order-shipped', reason: 'template.data: no map at new.pk' },
    ]);
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
      'rules[0] (r).match.eventName: unknown UPSERT; use INSERT, MODIFY, REMOVE',
      'rules[0] (r).match.when[0] needs exactly one of equals, notEquals, in, exists',
      'rules[0] (r).notify.recipient.mail: unknown field; use userId, email, phone',
      'rules[0] (r).notify.channels: unknown pigeon; use email, sms, push, webpush, chat, inapp',
      'rules[0] (r).notify.content.pigeon is missing',
      'rules[1] (r).extra: unknown key; expected name, match, notify, workflow',
      'rules[1] (r).name is used by another rule',
    ]);
  });

  it('accepts a template instead of content, and names the rule and field of each template problem', () => {
    const notify = { recipient: { email: 'new.e' }, channels: ['email'] };
    const { rules, problems } = parseRulesDocument({
      rules: [{ name: 'ok', notify: { ...notify, template: { key: 'order-shipped', data: { name: 'new.name' }, locale: '{{new.locale}}' } } }],
    });
    expect(problems).toEqual([]);
    expect(rules[0].notify).toEqual({ recipient: { email: 'new.e' }, channels: ['email'], template: { key: 'order-shipped', data: { name: 'new.name' }, locale: '{{new.locale}}' } });
    expect(parseRulesDocument({ rules: [{ name: 'whole', notify: { ...notify, template: { key: 'k', data: 'new', locale: 'fr-CA' } } }] }).problems).toEqual([]);

    expect(
      parseRulesDocument({
        rules: [
          { name: 'both', notify: { ...notify, content: { email: { subject: 's', text: 't' } }, template: { key: 'k', data: {} } } },
          { name: 'bad-template', notify: { ...notify, template: { key: 'Not A Key', data: { name: 3 }, locale: 'english!', extra: 1 } } },
          { name: 'neither', notify },
          { name: 'not-a-map', notify: { ...notify, template: 'order-shipped' } },
        ],
      }).problems,
    ).toEqual([
      'rules[0] (both).notify: give content or template, not both',
      'rules[1] (bad-template).notify.template.extra: unknown key; expected key, data, locale',
      'rules[1] (bad-template).notify.template.key must be a template key (lower-case letters, digits, "_", ".", ":" or "-"; up to 128)',
      'rules[1] (bad-template).notify.template.data.name must be an attribute path such as new.customerName',
      'rules[1] (bad-template).notify.template.locale: "english!" is not a BCP 47 language tag such as en or fr-CA',
      'rules[2] (neither).notify.content must give the content of each channel, e.g. { email: { subject: ..., text: ... } } (or use template)',
      'rules[3] (not-a-map).notify.template must be an object with key, data and optionally locale, e.g. { key: order-shipped, data: { name: new.customerName } }',
    ]);
  });

  it('turns a matching event into a workflow trigger: recipient, payload, run key; or a topic', () => {
    const digest: MappingRule = {
      name: 'comment-digest',
      match: { table: ['comments'], eventName: ['INSERT'], when: [] },
      workflow: { key: 'comment-digest', recipient: { userId: 'new.authorId', email: 'new.authorEmail' }, payload: 'new', runKey: 'post-{{new.postId}}' },
    };
    const insert = (image: Record<string, unknown>): SourceEvent => ({ id: 'e7', table: 'comments', eventName: 'INSERT', document: { new: image } });
    const comment = { postId: 'p-7', authorId: 'u-42', authorEmail: 'ada@example.com', text: 'Nice' };
    expect(applyRules([digest], insert(comment))).toEqual([
      {
        kind: 'trigger',
        rule: 'comment-digest',
        trigger: { workflow: 'comment-digest', recipients: [{ userId: 'u-42', email: 'ada@example.com' }], payload: comment, runKey: 'post-p-7' },
      },
    ]);
    // The payload is a copy: the engine may keep it while the document is reused.
    const [produced] = applyRules([digest], insert(comment));
    expect(produced.kind === 'trigger' && produced.trigger.payload).not.toBe(comment);

    const byTopic: MappingRule = { ...digest, workflow: { key: 'comment-digest', topic: 'post-{{new.postId}}', payload: { post: 'new.postId', body: 'new.text', absent: 'new.nothing' } } };
    expect(applyRules([byTopic], insert(comment))).toEqual([
      { kind: 'trigger', rule: 'comment-digest', trigger: { workflow: 'comment-digest', topic: 'post-p-7', payload: { post: 'p-7', body: 'Nice' } } },
    ]);
  });

  it('reports a workflow rule whose event lacks the recipient, the payload map, the topic or the run key as invalid', () => {
    const rule: MappingRule = {
      name: 'wf',
      match: { when: [] },
      workflow: { key: 'comment-digest', recipient: { userId: 'new.authorId' }, payload: 'new.comment', runKey: '{{new.postId}}' },
    };
    const event: SourceEvent = { id: 'e8', document: { new: { comment: 'not a map' } } };
    expect(applyRules([rule], event)).toEqual([
      { kind: 'invalid', rule: 'wf', reason: 'recipient.userId: no value at new.authorId; payload: no map at new.comment; runKey: no value at new.postId' },
    ]);
    const topic: MappingRule = { ...rule, workflow: { key: 'comment-digest', topic: 'post-{{new.postId}}', payload: 'new' } };
    expect(applyRules([topic], event)).toEqual([{ kind: 'invalid', rule: 'wf', reason: 'topic: no value at new.postId' }]);
  });

  it('reads a workflow rule from the rules document, and names each problem of a malformed one', () => {
    const { rules, problems } = parseRulesDocument({
      rules: [
        { name: 'digest', match: { table: 'comments' }, workflow: { key: 'comment-digest', recipient: { userId: 'new.authorId' }, payload: 'new', runKey: 'post-{{new.postId}}' } },
        { name: 'followers', workflow: { key: 'new-post', topic: 'post-{{new.postId}}', payload: { postId: 'new.postId' } } },
      ],
    });
    expect(problems).toEqual([]);
    expect(rules.map((r) => r.workflow)).toEqual([
      { key: 'comment-digest', recipient: { userId: 'new.authorId' }, payload: 'new', runKey: 'post-{{new.postId}}' },
      { key: 'new-post', topic: 'post-{{new.postId}}', payload: { postId: 'new.postId' } },
    ]);
    expect(rules[0].notify).toBeUndefined();

    const notify = { recipient: { email: 'new.e' }, channels: ['email'], content: { email: { subject: 's', text: 't' } } };
    expect(
      parseRulesDocument({
        rules: [
          { name: 'both', notify, workflow: { key: 'k', recipient: { userId: 'new.u' }, payload: 'new' } },
          { name: 'not-a-map', workflow: 'comment-digest' },
          { name: 'bad', workflow: { key: 'Not A Key', recipient: { user: 'new.u' }, payload: 3, runKey: '', extra: 1 } },
          { name: 'no-recipient', workflow: { key: 'k', payload: 'new' } },
          { name: 'two-recipients', workflow: { key: 'k', recipient: { userId: 'new.u' }, topic: 'followers', payload: 'new' } },
          { name: 'bad-topic', workflow: { key: 'k', topic: 'Not a topic', payload: { a: '' } } },
        ],
      }).problems,
    ).toEqual([
      'rules[0] (both): give notify or workflow, not both',
      'rules[1] (not-a-map).workflow must be an object with key, recipient (or topic) and payload, e.g. { key: order-updates, recipient: { userId: new.customerId }, payload: new }',
      'rules[2] (bad).workflow.extra: unknown key; expected key, recipient, topic, payload, runKey',
      'rules[2] (bad).workflow.key must be a workflow key (lower-case letters, digits, "_", ".", ":" or "-"; up to 128)',
      'rules[2] (bad).workflow.recipient.user: unknown field; use userId, email, phone',
      'rules[2] (bad).workflow.payload must be one path whose map is the payload (e.g. new), or map payload fields to attribute paths',
      'rules[2] (bad).workflow.runKey must be text of up to 200 characters, with optional {{path}} placeholders (e.g. "post-{{new.postId}}")',
      'rules[3] (no-recipient).workflow.recipient (or topic) is required: map userId, email, phone to attribute paths',
      'rules[4] (two-recipients).workflow: give recipient or topic, not both',
      'rules[5] (bad-topic).workflow.topic must be a topic key, or {{path}} giving one (e.g. "post-{{new.postId}}")',
      'rules[5] (bad-topic).workflow.payload.a must be an attribute path such as new.postId',
    ]);
  });

  it('refuses a document without a rules list', () => {
    expect(parseRulesDocument([]).problems).toEqual(['the file must hold an object with a "rules" list']);
  });
});
