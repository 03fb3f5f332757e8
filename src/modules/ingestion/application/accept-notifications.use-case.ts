import { Injectable } from '@nestjs/common';
import { TemplateNotFoundError, ValidationFailedError, type FieldIssue } from '../../../domain/errors/domain-errors';
import type { Channel } from '../../../domain/notification/channel';
import { newId } from '../../../domain/notification/ids';
import { checkRequestRules, contentOrTemplateIssues, draftsOf, sendAtOf, type NotificationRequest } from '../../../domain/notification/notification-request';
import { channelsOf, type TemplateVersion } from '../../../domain/templates/template';
import { NotificationIntake, type IntakeExtras, type IntakeItem, type IntakeResult } from '../../../domain/ports/notification-intake.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { TemplateStore } from '../../../domain/ports/template-store.port';
import { ResolveChannels } from '../../preferences/application/resolve-channels';
import { RenderTemplate } from '../../templates/application/render-template';
import { DeliveryMetrics } from '../../../domain/ports/delivery-metrics.port';
import { fingerprint } from '../../../domain/notification/request-fingerprint';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { destinationFieldIssues } from '../../../infrastructure/providers/http/outbound-guard';

export interface AcceptNotificationsInput {
  /** Idempotency scope: `api:<key id>`, a stream ARN, a queue. */
  source: string;
  items: Array<{ idempotencyKey: string | null; request: NotificationRequest }>;
  /** Event sources: refused events and the shard checkpoint, committed in the same transaction as the items. */
  extras?: IntakeExtras;
}

/**
 * Durably accepts notification requests: one transaction for the whole batch, one notification per
 * recipient and channel, each with its outbox entry. A request whose idempotency key was seen before
 * creates nothing and returns what the first one created. Every source (HTTP, queues, streams) calls this.
 *
 * Before that, requests are completed: no channels means every channel the category and the user's
 * preferences allow; a template is rendered now (latest version, recipient's locale) so that later
 * versions never change an accepted notification.
 */
@Injectable()
export class AcceptNotifications {
  constructor(
    private readonly intake: NotificationIntake,
    private readonly templates: TemplateStore,
    private readonly directory: RecipientDirectory,
    private readonly resolveChannels: ResolveChannels,
    private readonly renderTemplate: RenderTemplate,
    private readonly metrics: DeliveryMetrics,
    private readonly config: HeraldConfig,
  ) {}

  async execute(input: AcceptNotificationsInput): Promise<IntakeResult[]> {
    const multi = input.items.length > 1;
    const prefixOf = (i: number) => (multi ? `items[${i}].` : '');
    const shapeIssues = input.items.flatMap((item, i) => contentOrTemplateIssues(item.request, 'defined', prefixOf(i)));
    if (shapeIssues.length) throw new ValidationFailedError(shapeIssues);

    const requests = await this.complete(input.items.map((i) => i.request), prefixOf);
    const issues = requests.flatMap((request, i) => [
      ...checkRequestRules(request, prefixOf(i)),
      ...destinationFieldIssues(request.recipient, this.config.outbound, `${prefixOf(i)}recipient.`),
    ]);
    if (issues.length) throw new ValidationFailedError(issues);
    const now = new Date();
    const items: IntakeItem[] = input.items.map(({ idempotencyKey, request: original }, i) => ({
      source: input.source,
      idempotencyKey,
      requestHash: fingerprint(original),
      requestId: newId(),
      drafts: draftsOf(requests[i]).map((d) => ({ ...d, id: newId() })),
      category: original.category ?? null,
      metadata: original.metadata ?? {},
      sendAt: sendAtOf(original, now),
    }));
    const results = await this.intake.acceptBatch(items, input.extras);
    this.metrics.accepted(
      results.flatMap((r, i) => (r.kind === 'created' ? r.notifications.map((n) => ({ channel: n.channel, category: items[i].category })) : [])),
    );
    return results;
  }

  /** Resolves channels and renders templates; returns requests with `channels` and `content` filled in. */
  private async complete(requests: NotificationRequest[], prefixOf: (i: number) => string): Promise<NotificationRequest[]> {
    const templates = await this.loadTemplates(requests);
    const open = requests.map((r, i) => ({ r, i })).filter(({ r }) => !r.channels || r.channels.length === 0);
    const resolved = await this.resolveChannels.execute(
      open.map(({ r }) => ({
        recipient: r.recipient,
        category: r.category ?? null,
        offered: r.template ? channelsOf(templates.get(r.template.key)!) : (Object.keys(r.content ?? {}) as Channel[]),
      })),
    );
    const channelsOfRequest = new Map(open.map(({ i }, n) => [i, resolved[n]]));
    const issues: FieldIssue[] = [];
    open.forEach(({ i }) => {
      if (channelsOfRequest.get(i)!.length === 0) {
        issues.push({
          field: `${prefixOf(i)}channels`,
          reason: 'is empty and no channel is left: none the category allows, the recipient has an address for and has not turned off',
        });
      }
    });
    if (issues.length) throw new ValidationFailedError(issues);

    const userIds = requests.filter((r) => r.template && !r.template.locale && r.recipient.userId).map((r) => r.recipient.userId!);
    const profiles = await this.directory.getMany([...new Set(userIds)]);
    return requests.map((r, i) => {
      const channels = channelsOfRequest.get(i) ?? r.channels;
      if (!r.template) return { ...r, channels, content: r.content ?? {} };
      const locale = r.template.locale ?? (r.recipient.userId ? profiles.get(r.recipient.userId)?.locale : null);
      const rendered = this.renderTemplate.execute(templates.get(r.template.key)!, { channels, locale, data: r.template.data, fieldPrefix: prefixOf(i) });
      return { ...r, channels, content: rendered.content };
    });
  }

  private async loadTemplates(requests: NotificationRequest[]): Promise<Map<string, TemplateVersion>> {
    const keys = [...new Set(requests.flatMap((r) => (r.template ? [r.template.key] : [])))];
    const found = await Promise.all(keys.map((k) => this.templates.find(k)));
    const out = new Map<string, TemplateVersion>();
    keys.forEach((k, n) => {
      if (!found[n]) throw new TemplateNotFoundError(k);
      out.set(k, found[n]);
    });
    return out;
  }
}
