import { TemplateNotFoundError, TemplateVariablesMissingError, ValidationFailedError } from '../../../domain/errors/domain-errors';
import type { NotificationRequest } from '../../../domain/notification/notification-request';
import type { TemplateVersion } from '../../../domain/templates/template';
import type { DeliveryMetrics } from '../../../domain/ports/delivery-metrics.port';
import { NotificationIntake, type IntakeExtras, type IntakeItem, type IntakeResult } from '../../../domain/ports/notification-intake.port';
import type { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import type { TemplateStore } from '../../../domain/ports/template-store.port';
import { TemplateRenderer } from '../../../domain/ports/template-renderer.port';
import type { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { ResolveChannels } from '../../preferences/application/resolve-channels';
import { RenderTemplate } from '../../templates/application/render-template';
import { AcceptNotifications, refusalOf } from './accept-notifications.use-case';

class RecordingIntake extends NotificationIntake {
  readonly calls: Array<{ items: IntakeItem[]; extras?: IntakeExtras }> = [];
  lastResults: IntakeResult[] = [];
  async acceptBatch(items: IntakeItem[], extras?: IntakeExtras): Promise<IntakeResult[]> {
    this.calls.push({ items, extras });
    this.lastResults = items.map((i) => ({ kind: 'created', requestId: i.requestId, notifications: i.drafts.map((d) => ({ id: d.id, channel: d.channel, status: 'queued' })) }));
    return this.lastResults;
  }
  forgetIdempotencyKeys(): Promise<number> {
    throw new Error('not expected');
  }
}

class LiteralRenderer extends TemplateRenderer {
  check(): [] {
    return [];
  }
  render(_key: string, variants: object) {
    return variants;
  }
}

const welcome: TemplateVersion = {
  id: 't-1',
  key: 'welcome',
  version: 1,
  description: '',
  defaultLocale: 'en',
  variables: ['name'],
  locales: { en: { email: { subject: 'Hi', text: 'Hello' } } },
  createdAt: new Date(0),
};

function setup() {
  const intake = new RecordingIntake();
  const templates = { find: async (key: string) => (key === 'welcome' ? welcome : null) } as unknown as TemplateStore;
  const directory = { getMany: async () => new Map() } as unknown as RecipientDirectory;
  const metrics = { accepted: () => undefined } as unknown as DeliveryMetrics;
  const config = { outbound: { slackHosts: [] } } as unknown as HeraldConfig;
  // Every request here names its channels, so channel resolution is never asked anything.
  const resolveChannels = new ResolveChannels(null as never, null as never);
  const accept = new AcceptNotifications(intake, templates, directory, resolveChannels, new RenderTemplate(new LiteralRenderer()), metrics, config);
  return { intake, accept };
}

const literal: NotificationRequest = { recipient: { email: 'a@example.com' }, channels: ['email'], content: { email: { subject: 'S', text: 'T' } } };
const unknownTemplate: NotificationRequest = { recipient: { email: 'b@example.com' }, channels: ['email'], content: undefined as never, template: { key: 'nope', data: {} } };
const lacksVariable: NotificationRequest = { recipient: { email: 'c@example.com' }, channels: ['email'], content: undefined as never, template: { key: 'welcome', data: {} } };
const items = (...requests: NotificationRequest[]) => requests.map((request, i) => ({ idempotencyKey: `k-${i}`, request }));

describe('AcceptNotifications', () => {
  it('stores the valid items of an event-source batch and returns each refused one in its place, for the extras of the same transaction', async () => {
    const { intake, accept } = setup();
    const seen: number[] = [];
    const outcomes = await accept.execute({
      source: 'intake:q',
      items: items(literal, unknownTemplate, lacksVariable, literal),
      allOrNothing: false,
      extras: (refused) => {
        seen.push(...refused.map((r) => r.index));
        return { rejected: [] };
      },
    });

    expect(outcomes.map((o) => o.kind)).toEqual(['created', 'template_missing', 'invalid', 'created']);
    expect(intake.calls).toHaveLength(1);
    expect(intake.calls[0].items.map((i) => i.idempotencyKey)).toEqual(['k-0', 'k-3']);
    expect(intake.calls[0].extras).toEqual({ rejected: [] });
    expect(seen).toEqual([1, 2]);
    const missing = outcomes[1] as { error: TemplateNotFoundError };
    expect(missing.error.message).toBe('Template "nope" does not exist');
    // Each event-source item is a request of its own: its fields are named without a batch index.
    expect((outcomes[2] as { error: TemplateVariablesMissingError }).error.issues).toEqual([{ field: 'template.data.name', reason: 'is required by template "welcome"' }]);
  });

  it('stores nothing of an all-or-nothing batch with a refused item, and stops checking at that stage', async () => {
    const { intake, accept } = setup();
    const outcomes = await accept.execute({ source: 'api:k', items: items(literal, unknownTemplate, lacksVariable), allOrNothing: true });

    expect(outcomes.map((o) => o.kind)).toEqual(['withheld', 'template_missing', 'withheld']);
    expect(intake.calls).toHaveLength(0);
    expect(refusalOf(outcomes)).toEqual(new TemplateNotFoundError('nope'));
  });

  it('answers an all-or-nothing batch with every validation issue of the refused items together, named by index', async () => {
    const { accept } = setup();
    const both = { ...literal, template: { key: 'welcome', data: { name: 'Ada' } } };
    const outcomes = await accept.execute({ source: 'api:k', items: items(literal, both, { ...literal, content: undefined as never }), allOrNothing: true });

    const refusal = refusalOf(outcomes);
    expect(refusal).toBeInstanceOf(ValidationFailedError);
    expect((refusal as ValidationFailedError).issues).toEqual([
      { field: 'items[1].content', reason: 'must not be given with template (one or the other)' },
      { field: 'items[2].content', reason: 'is required (or template)' },
    ]);
  });

  it("returns the intake's own results when nothing is refused", async () => {
    const { intake, accept } = setup();
    const outcomes = await accept.execute({ source: 'api:k', items: items(literal, literal), allOrNothing: true });
    expect(outcomes).toBe(intake.lastResults);
    expect(refusalOf(outcomes)).toBeNull();
  });
});
