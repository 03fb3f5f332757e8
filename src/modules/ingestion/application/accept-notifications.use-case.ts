import { Injectable } from '@nestjs/common';
import {
  TemplateNotFoundError,
  TemplateRenderError,
  TemplateVariablesMissingError,
  ValidationFailedError,
  type DomainError,
  type FieldIssue,
} from '../../../domain/errors/domain-errors';
import type { Channel } from '../../../domain/notification/channel';
import { newId } from '../../../domain/notification/ids';
import { checkRequestRules, contentOrTemplateIssues, draftsOf, sendAtOf, type NotificationRequest } from '../../../domain/notification/notification-request';
import { fingerprint } from '../../../domain/notification/request-fingerprint';
import { channelsOf, type TemplateVersion } from '../../../domain/templates/template';
import { NotificationIntake, type IntakeExtras, type IntakeItem, type IntakeResult } from '../../../domain/ports/notification-intake.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { TemplateStore } from '../../../domain/ports/template-store.port';
import { ResolveChannels } from '../../preferences/application/resolve-channels';
import { RenderTemplate } from '../../templates/application/render-template';
import { DeliveryMetrics } from '../../../domain/ports/delivery-metrics.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { destinationFieldIssues } from '../../../infrastructure/providers/http/outbound-guard';

/** The template version a request was rendered from, and the locale of each channel's variant. */
interface RenderedFrom {
  version: number;
  locales: Partial<Record<Channel, string>>;
}

/** Why an item was not stored: it cannot become a notification as it stands. */
export type Refusal =
  | { kind: 'invalid'; error: ValidationFailedError | TemplateVariablesMissingError | TemplateRenderError }
  | { kind: 'template_missing'; error: TemplateNotFoundError };

/**
 * What became of one item: stored (`created`; `replayed`, a duplicate of an earlier request; `key_reused`,
 * its key came before with another body), refused, or, in an all-or-nothing call another item refused,
 * `withheld` (valid as far as it was checked, but not stored).
 */
export type AcceptOutcome = IntakeResult | Refusal | { kind: 'withheld' };

export interface AcceptNotificationsInput {
  /** Idempotency scope: `api:<key id>`, a stream ARN, a queue. */
  source: string;
  items: Array<{ idempotencyKey: string | null; request: NotificationRequest }>;
  /**
   * true (the API): one refused item refuses the call and nothing is stored; fields are named `items[i].…`
   * when there are several. false (event sources): the other items are stored; each is checked on its own.
   */
  allOrNothing: boolean;
  /**
   * Event sources: what to write in the same transaction as the items (refused events, the shard
   * checkpoint), asked once the refused items are known so that they can be recorded with it.
   */
  extras?: (refused: ReadonlyArray<{ index: number; refusal: Refusal }>) => IntakeExtras;
}

/**
 * Durably accepts notification requests: one transaction for the whole batch, one notification per
 * recipient and channel, each with its outbox entry. A request whose idempotency key was seen before
 * creates nothing and returns what the first one created. Every source (HTTP, queues, streams) calls this.
 *
 * Before that, requests are completed: no channels means every channel the category and the user's
 * preferences allow; a template is rendered now (latest version, recipient's locale) so that later
 * versions never change an accepted notification. A request that cannot be completed or breaks a rule
 * is refused (one outcome per item, in order); checks run in stages, and an all-or-nothing call stops at
 * the first stage that refuses anything.
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

  async execute(input: AcceptNotificationsInput): Promise<AcceptOutcome[]> {
    const n = input.items.length;
    const requests = input.items.map((i) => i.request);
    const prefixOf = input.allOrNothing && n > 1 ? (i: number) => `items[${i}].` : () => '';
    const refusals = new Refusals(n);
    const stop = () => input.allOrNothing && refusals.count > 0;

    for (let i = 0; i < n; i++) {
      const issues = contentOrTemplateIssues(requests[i], 'defined', prefixOf(i));
      if (issues.length) refusals.set(i, { kind: 'invalid', error: new ValidationFailedError(issues) });
    }
    if (stop()) return refusals.withheld();

    const rendered = new Map<number, RenderedFrom>();
    const completed = await this.complete(requests, prefixOf, refusals, stop, rendered);
    if (stop()) return refusals.withheld();

    for (let i = 0; i < n; i++) {
      if (refusals.has(i)) continue;
      const request = completed[i];
      const issues = checkRequestRules(request, prefixOf(i));
      const destinationIssues = destinationFieldIssues(request.recipient, this.config.outbound, `${prefixOf(i)}recipient.`);
      if (issues.length || destinationIssues.length) refusals.set(i, { kind: 'invalid', error: new ValidationFailedError([...issues, ...destinationIssues]) });
    }
    if (stop()) return refusals.withheld();

    const now = new Date();
    const items: IntakeItem[] = [];
    for (let i = 0; i < n; i++) {
      if (refusals.has(i)) continue;
      const { idempotencyKey, request: original } = input.items[i];
      items.push({
        source: input.source,
        idempotencyKey,
        requestHash: fingerprint(original),
        requestId: newId(),
        drafts: draftsOf(completed[i]).map((d) => ({ ...d, id: newId() })),
        category: original.category ?? null,
        template: original.template?.key ?? null,
        templateVersion: rendered.get(i)?.version ?? null,
        templateLocales: rendered.get(i)?.locales,
        metadata: original.metadata ?? {},
        sendAt: sendAtOf(original, now),
      });
    }
    const results = await this.intake.acceptBatch(items, input.extras?.(refusals.list()));
    this.metrics.accepted(
      results.flatMap((r, i) => (r.kind === 'created' ? r.notifications.map((c) => ({ channel: c.channel, category: items[i].category, template: items[i].template })) : [])),
    );
    return refusals.merge(results);
  }

  /**
   * Resolves channels and renders templates; returns requests with `channels` and `content` filled in (refused ones
   * as given), and notes in `rendered` which template version and locales each rendered request came from.
   */
  private async complete(
    requests: NotificationRequest[],
    prefixOf: (i: number) => string,
    refusals: Refusals,
    stop: () => boolean,
    rendered: Map<number, RenderedFrom>,
  ): Promise<NotificationRequest[]> {
    const templates = await this.loadTemplates(requests, refusals);
    if (stop()) return requests;
    const open: number[] = [];
    requests.forEach((r, i) => {
      if (!refusals.has(i) && (!r.channels || r.channels.length === 0)) open.push(i);
    });
    const resolved = await this.resolveChannels.execute(
      open.map((i) => {
        const r = requests[i];
        return {
          recipient: r.recipient,
          category: r.category ?? null,
          offered: r.template ? channelsOf(templates.get(r.template.key)!) : (Object.keys(r.content ?? {}) as Channel[]),
        };
      }),
    );
    const channelsOfRequest = new Map(open.map((i, k) => [i, resolved[k]]));
    for (const i of open) {
      if (channelsOfRequest.get(i)!.length > 0) continue;
      const issue: FieldIssue = {
        field: `${prefixOf(i)}channels`,
        reason: 'is empty and no channel is left: none the category allows, the recipient has an address for and has not turned off',
      };
      refusals.set(i, { kind: 'invalid', error: new ValidationFailedError([issue]) });
    }
    if (stop()) return requests;

    const userIds = requests.filter((r, i) => !refusals.has(i) && r.template && !r.template.locale && r.recipient.userId).map((r) => r.recipient.userId!);
    const profiles = await this.directory.getMany([...new Set(userIds)]);
    return requests.map((r, i) => {
      if (refusals.has(i)) return r;
      const channels = channelsOfRequest.get(i) ?? r.channels;
      if (!r.template) return { ...r, channels, content: r.content ?? {} };
      const locale = r.template.locale ?? (r.recipient.userId ? profiles.get(r.recipient.userId)?.locale : null);
      try {
        const template = templates.get(r.template.key)!;
        const result = this.renderTemplate.execute(template, { channels, locale, data: r.template.data, fieldPrefix: prefixOf(i) });
        rendered.set(i, { version: template.version, locales: result.locales });
        return { ...r, channels, content: result.content };
      } catch (err) {
        if (!(err instanceof TemplateVariablesMissingError || err instanceof TemplateRenderError)) throw err;
        refusals.set(i, { kind: 'invalid', error: err });
        return r;
      }
    });
  }

  /** The latest version of every template the requests name; a request naming one that does not exist is refused. */
  private async loadTemplates(requests: NotificationRequest[], refusals: Refusals): Promise<Map<string, TemplateVersion>> {
    const keys = [...new Set(requests.flatMap((r, i) => (r.template && !refusals.has(i) ? [r.template.key] : [])))];
    const found = await Promise.all(keys.map((k) => this.templates.find(k)));
    const out = new Map<string, TemplateVersion>();
    keys.forEach((k, n) => {
      if (found[n]) out.set(k, found[n]);
    });
    if (out.size < keys.length) {
      requests.forEach((r, i) => {
        if (r.template && !refusals.has(i) && !out.has(r.template.key)) refusals.set(i, { kind: 'template_missing', error: new TemplateNotFoundError(r.template.key) });
      });
    }
    return out;
  }
}

/**
 * The error an all-or-nothing call was refused with, as one answer: every validation issue of the refused
 * items together, otherwise (a missing template, a template that cannot be rendered) the first item's.
 * Null when nothing was refused.
 */
export function refusalOf(outcomes: readonly AcceptOutcome[]): DomainError | null {
  let issues: FieldIssue[] | null = null;
  let first: DomainError | null = null;
  for (const outcome of outcomes) {
    if (outcome.kind !== 'invalid' && outcome.kind !== 'template_missing') continue;
    first ??= outcome.error;
    if (outcome.error instanceof ValidationFailedError) (issues ??= []).push(...outcome.error.issues);
  }
  return first instanceof ValidationFailedError ? new ValidationFailedError(issues!) : first;
}

/** Refusals by item index; kept sparse, as most batches have none. */
class Refusals {
  private readonly byIndex = new Map<number, Refusal>();

  constructor(private readonly size: number) {}

  get count(): number {
    return this.byIndex.size;
  }

  has(i: number): boolean {
    return this.byIndex.size > 0 && this.byIndex.has(i);
  }

  set(i: number, refusal: Refusal): void {
    this.byIndex.set(i, refusal);
  }

  list(): Array<{ index: number; refusal: Refusal }> {
    return [...this.byIndex].sort(([a], [b]) => a - b).map(([index, refusal]) => ({ index, refusal }));
  }

  withheld(): AcceptOutcome[] {
    return Array.from({ length: this.size }, (_, i) => this.byIndex.get(i) ?? { kind: 'withheld' as const });
  }

  /** The stored items' results (in order, refused items left out) with the refusals put back in their places. */
  merge(results: IntakeResult[]): AcceptOutcome[] {
    if (this.byIndex.size === 0) return results;
    let next = 0;
    return Array.from({ length: this.size }, (_, i) => this.byIndex.get(i) ?? results[next++]);
  }
}
