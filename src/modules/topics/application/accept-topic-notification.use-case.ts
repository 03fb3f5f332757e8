import { Injectable } from '@nestjs/common';
import { TemplateNotFoundError, TopicNotFoundError, ValidationFailedError, type FieldIssue } from '../../../domain/errors/domain-errors';
import { DELIVERABLE_CHANNELS, type Channel } from '../../../domain/notification/channel';
import { newId } from '../../../domain/notification/ids';
import { checkRequestRules, contentOrTemplateIssues, type NotificationContent, type TemplateReference } from '../../../domain/notification/notification-request';
import { channelsOf } from '../../../domain/templates/template';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';
import { TemplateStore } from '../../../domain/ports/template-store.port';
import { TopicFanoutStore, type FanoutAcceptance } from '../../../domain/ports/topic-fanout.port';
import { TopicStore } from '../../../domain/ports/topic-store.port';
import { fingerprint } from '../../../domain/notification/request-fingerprint';
import { RenderTemplate } from '../../templates/application/render-template';

export interface TopicNotificationRequest {
  channels?: Channel[];
  content?: NotificationContent;
  template?: Omit<TemplateReference, 'locale'>;
  category?: string;
  metadata?: Record<string, unknown>;
}

export interface AcceptTopicNotificationInput {
  source: string;
  topicKey: string;
  idempotencyKey: string | null;
  request: TopicNotificationRequest;
  /** The API key that sends, for the audit log. */
  actorKeyId: string | null;
}

/**
 * Accepts one event for every subscriber of a topic. Only the event is stored here (answering fast);
 * the fan-out job creates the notifications. Templates are rendered now, once per locale they have,
 * and each subscriber gets their profile locale's rendering (with fallback).
 */
@Injectable()
export class AcceptTopicNotification {
  constructor(
    private readonly topics: TopicStore,
    private readonly fanouts: TopicFanoutStore,
    private readonly templates: TemplateStore,
    private readonly preferences: PreferenceStore,
    private readonly renderTemplate: RenderTemplate,
  ) {}

  async execute(input: AcceptTopicNotificationInput): Promise<FanoutAcceptance> {
    const { request } = input;
    const shapeIssues = contentOrTemplateIssues(request, 'non_empty');
    if (shapeIssues.length) throw new ValidationFailedError(shapeIssues);
    if (!(await this.topics.find(input.topicKey))) throw new TopicNotFoundError(input.topicKey);

    const template = request.template ? await this.templates.find(request.template.key) : null;
    if (request.template && !template) throw new TemplateNotFoundError(request.template.key);
    const offered = template ? channelsOf(template) : (Object.keys(request.content ?? {}) as Channel[]);
    let channels = request.channels ?? [];
    if (channels.length === 0) {
      // Per-user preferences are applied to each notification when it is sent (suppressed with the reason).
      const category = request.category ? (await this.preferences.getCategories([request.category])).get(request.category) : undefined;
      channels = DELIVERABLE_CHANNELS.filter((c) => offered.includes(c) && category?.channelDefaults[c] !== false);
      if (channels.length === 0) throw new ValidationFailedError([{ field: 'channels', reason: 'is empty and the category and content leave no channel' }]);
    }

    const contents: Record<string, NotificationContent> = {};
    if (template && request.template) {
      for (const locale of Object.keys(template.locales)) {
        contents[locale] = this.renderTemplate.execute(template, { channels, locale, data: request.template.data }).content;
      }
    } else {
      contents['*'] = request.content!;
    }
    const probe = contents[template?.defaultLocale ?? '*'];
    const issues: FieldIssue[] = checkRequestRules({ recipient: { userId: 'subscriber' }, channels, content: probe });
    if (issues.length) throw new ValidationFailedError(issues);

    return this.fanouts.accept(
      {
        source: input.source,
        idempotencyKey: input.idempotencyKey,
        requestHash: fingerprint({ topic: input.topicKey, ...request }),
        requestId: newId(),
        fanoutId: newId(),
        topicKey: input.topicKey,
        channels,
        contents,
        defaultLocale: template?.defaultLocale ?? null,
        category: request.category ?? null,
        metadata: request.metadata ?? {},
      },
      // Only a fan-out this request created: a replay of the same Idempotency-Key started nothing.
      (fanout) => ({
        keyId: input.actorKeyId,
        action: 'fanout.started',
        target: `topic:${fanout.topicKey}`,
        before: null,
        after: {
          topic: fanout.topicKey,
          fanoutId: fanout.id,
          channels: fanout.channels,
          category: request.category ?? null,
          template: request.template ? { key: request.template.key, version: template?.version ?? null } : null,
          total: fanout.total,
          idempotencyKey: input.idempotencyKey,
        },
      }),
    );
  }
}
