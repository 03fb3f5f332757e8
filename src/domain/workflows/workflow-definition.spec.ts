import { normalizeDefinition, targetIndex, workflowDefinitionIssues } from './workflow-definition';

const send = (id: string, channel = 'email') => ({ id, type: 'send', channel, content: channel === 'email' ? { subject: 's', text: 't' } : { title: 't', body: 'b' } });
const fields = (body: unknown, key = 'wf') => workflowDefinitionIssues(body, key).map((i) => i.field);

describe('workflowDefinitionIssues', () => {
  it('accepts a definition with every step type', () => {
    const body = {
      name: 'Comments',
      category: 'social',
      steps: [
        { id: 'limit', type: 'throttle', limit: 1, window: '1d', key: '{{payload.postId}}' },
        { id: 'collect', type: 'digest', window: '30m', key: '{{payload.postId}}', sendFirstImmediately: true },
        send('inapp', 'inapp'),
        { id: 'unseen', type: 'branch', if: { step: 'inapp', is: 'seen', within: '1h' }, then: 'end', else: 'mail' },
        { id: 'pause', type: 'delay', duration: 'PT5M' },
        { id: 'mail', type: 'send', channel: 'email', template: { key: 'comment-digest', data: { a: 1 } } },
        { id: 'later', type: 'delay', until: '{{payload.remindAt}}' },
      ],
    };
    expect(workflowDefinitionIssues(body, 'comments')).toEqual([]);
    expect(normalizeDefinition(body, 'comments')).toEqual({ key: 'comments', name: 'Comments', category: 'social', steps: body.steps });
  });

  it('refuses a body that is not a workflow', () => {
    expect(fields(null)).toEqual(['body']);
    expect(fields({ steps: [] })).toEqual(['steps']);
    expect(fields({ steps: [send('a')], key: 'other' })).toEqual(['key']);
    expect(fields({ steps: [send('a')] }, 'Bad Key')).toEqual(['key']);
    expect(fields({ steps: [send('a')], colour: 'red', category: 'Not Valid' })).toEqual(['colour', 'category']);
  });

  it('refuses unknown types, duplicate ids and unknown fields', () => {
    expect(fields({ steps: [send('a'), send('a'), { id: 'c', type: 'teleport' }, { id: 'end', type: 'delay', duration: '1s' }, { ...send('d'), extra: 1 }] })).toEqual([
      'steps[1].id',
      'steps[2].type',
      'steps[3].id',
      'steps[4].extra',
    ]);
  });

  it('refuses a send without content or template, with both, or with content missing its fields', () => {
    expect(fields({ steps: [{ id: 'a', type: 'send', channel: 'email' }] })).toEqual(['steps[0].content']);
    expect(fields({ steps: [{ id: 'a', type: 'send', channel: 'fax', content: {} }] })).toEqual(['steps[0].channel']);
    expect(fields({ steps: [{ ...send('a'), template: { key: 't' } }] })).toEqual(['steps[0].content']);
    expect(fields({ steps: [{ id: 'a', type: 'send', channel: 'inapp', content: { title: 'x' } }] })).toEqual(['steps[0].content.body']);
    expect(fields({ steps: [{ id: 'a', type: 'send', channel: 'email', content: { subject: 'x' } }] })).toEqual(['steps[0].content.text']);
    expect(fields({ steps: [{ id: 'a', type: 'send', channel: 'email', template: { key: 'T!' } }] })).toEqual(['steps[0].template.key']);
  });

  it('refuses unparseable durations, delays with neither or both, and an until that is not a payload placeholder', () => {
    expect(fields({ steps: [{ id: 'a', type: 'delay', duration: 'an hour' }, send('b')] })).toEqual(['steps[0].duration']);
    expect(fields({ steps: [{ id: 'a', type: 'delay' }, send('b')] })).toEqual(['steps[0].duration']);
    expect(fields({ steps: [{ id: 'a', type: 'delay', until: 'tomorrow' }, send('b')] })).toEqual(['steps[0].until']);
    expect(fields({ steps: [{ id: 'a', type: 'digest', window: '0s' }, send('b')] })).toEqual(['steps[0].window']);
    expect(fields({ steps: [{ id: 'a', type: 'throttle', limit: 0, window: 'day' }] })).toEqual(['steps[0].limit', 'steps[0].window']);
  });

  it('refuses a digest with no send after it', () => {
    expect(fields({ steps: [send('a'), { id: 'd', type: 'digest', window: '1m' }] })).toEqual(['steps[1]']);
  });

  it('refuses jumps to unknown or earlier steps, and outcomes of steps that are not earlier sends', () => {
    const branch = (extra: Record<string, unknown>) => ({ id: 'b', type: 'branch', if: { payload: 'x', exists: true }, then: 'end', ...extra });
    expect(fields({ steps: [send('a'), branch({ then: 'nowhere' })] })).toEqual(['steps[1].then']);
    expect(fields({ steps: [send('a'), branch({ else: 'a' })] })).toEqual(['steps[1].else']);
    expect(fields({ steps: [send('a'), branch({ if: { step: 'c', is: 'seen' } }), send('c')] })).toEqual(['steps[1].if.step']);
    expect(fields({ steps: [{ id: 'w', type: 'delay', duration: '1s' }, branch({ if: { step: 'w', is: 'seen' } })] })).toEqual(['steps[1].if.step']);
    expect(fields({ steps: [send('a'), branch({ if: { step: 'zzz', is: 'seen' } })] })).toEqual(['steps[1].if.step']);
  });

  it('finds branch targets', () => {
    const d = normalizeDefinition({ steps: [send('a'), send('b')] }, 'wf');
    expect(targetIndex(d, 'b')).toBe(1);
    expect(targetIndex(d, 'end')).toBe(2);
  });
});
