import { TopicStore } from '../../../domain/ports/topic-store.port';
import { WorkflowRuns, type NewTrigger, type TriggerResult } from '../../../domain/ports/workflow-runs.port';
import { WorkflowStore } from '../../../domain/ports/workflow-store.port';
import type { WorkflowVersion } from '../../../domain/workflows/workflow-definition';
import { StartWorkflowTriggers } from './start-workflow-triggers.use-case';

/** Only the methods the use case calls; any other call fails the test. */
function fake<T extends object>(port: abstract new (...args: never[]) => T, methods: Partial<T>): T {
  return new Proxy(Object.assign(Object.create(port.prototype as object) as T, methods), {
    get(target, name, receiver) {
      if (typeof name === 'string' && !(name in methods) && name !== 'then') throw new Error(`unexpected call: ${name}`);
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
}

const greet = { key: 'greet', version: 3, definition: { steps: [{ id: 'hello', type: 'send', channel: 'email', content: { subject: 's', text: 't' } }] } } as unknown as WorkflowVersion;

function setUp(subscribers: Record<string, string[]> = {}) {
  const starts: NewTrigger[][] = [];
  const topicLookups: string[] = [];
  const workflows = fake(WorkflowStore, { find: async (key: string) => (key === 'greet' ? greet : null) });
  const runs = fake(WorkflowRuns, {
    start: async (triggers: NewTrigger[]): Promise<TriggerResult[]> => {
      starts.push(triggers);
      return triggers.map((t) => ({ kind: 'created', triggerId: t.id, runs: t.runs.map((r) => ({ id: r.id, userId: r.recipient.userId ?? null })) }));
    },
  });
  const topics = fake(TopicStore, {
    find: async (key: string) => {
      topicLookups.push(key);
      return key in subscribers ? { key, name: key, subscriberCount: subscribers[key].length, createdAt: new Date() } : null;
    },
    listSubscribers: async (key: string) => ({ userIds: subscribers[key], nextCursor: null }),
  });
  return { useCase: new StartWorkflowTriggers(workflows, runs, topics), starts, topicLookups };
}

describe('StartWorkflowTriggers', () => {
  it('refuses each bad trigger in its place and starts the others in one call, on the latest version; a topic is read once', async () => {
    const { useCase, starts, topicLookups } = setUp({ followers: ['f-1', 'f-2'] });
    const outcomes = await useCase.execute({
      source: 'arn:stream',
      triggers: [
        { workflowKey: 'greet', recipients: [{ userId: 'u-1' }], payload: { a: 1 }, idempotencyKey: 'e1:r', runKey: null },
        { workflowKey: 'nope', recipients: [{ userId: 'u-2' }], payload: {}, idempotencyKey: 'e2:r' },
        { workflowKey: 'greet', topic: 'followers', payload: {}, idempotencyKey: 'e3:r', runKey: 'post-1' },
        { workflowKey: 'greet', topic: 'followers', payload: {}, idempotencyKey: 'e4:r' },
        { workflowKey: 'greet', topic: 'strangers', payload: {}, idempotencyKey: 'e5:r' },
        { workflowKey: 'greet', recipients: [{}], payload: {}, idempotencyKey: 'e6:r' },
        { workflowKey: 'greet', payload: {}, idempotencyKey: 'e7:r' },
      ],
    });
    expect(outcomes.map((o) => (o.kind === 'refused' ? o.reason : o.kind))).toEqual([
      'created',
      'Workflow "nope" does not exist',
      'created',
      'created',
      'Topic "strangers" does not exist',
      'recipients[0] must have a userId, email or phone',
      'recipients is required (or topic), not both',
    ]);
    expect(starts).toHaveLength(1);
    expect(starts[0].map((t) => [t.source, t.idempotencyKey, t.workflowKey, t.workflowVersion, t.runKey, t.runs.map((r) => r.recipient.userId)])).toEqual([
      ['arn:stream', 'e1:r', 'greet', 3, 'e1:r', ['u-1']],
      ['arn:stream', 'e3:r', 'greet', 3, 'post-1', ['f-1', 'f-2']],
      ['arn:stream', 'e4:r', 'greet', 3, 'e4:r', ['f-1', 'f-2']],
    ]);
    expect(topicLookups).toEqual(['followers', 'strangers']);
  });

  it('splits a batch whose runs are more than 10,000 into transactions of at most that many runs', async () => {
    const many = Array.from({ length: 6000 }, (_, i) => `f-${i}`);
    const { useCase, starts } = setUp({ big: many });
    const outcomes = await useCase.execute({
      source: 's',
      triggers: [
        { workflowKey: 'greet', topic: 'big', payload: {}, idempotencyKey: 'a' },
        { workflowKey: 'greet', topic: 'big', payload: {}, idempotencyKey: 'b' },
        { workflowKey: 'greet', recipients: [{ userId: 'u-1' }], payload: {}, idempotencyKey: 'c' },
      ],
    });
    expect(outcomes.map((o) => o.kind)).toEqual(['created', 'created', 'created']);
    expect(starts.map((call) => call.map((t) => t.idempotencyKey))).toEqual([['a'], ['b', 'c']]);
  });
});
