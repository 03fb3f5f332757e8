import { Injectable, Logger } from '@nestjs/common';
import { applyRules, type SourceEvent, type WorkflowTriggerRequest } from '../../../domain/event-rules/mapping-rule';
import type { RejectedEvent } from '../../../domain/event-rules/rejected-event';
import type { NotificationRequest } from '../../../domain/notification/notification-request';
import type { ShardCheckpoint } from '../../../domain/ports/shard-leases.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { AcceptNotifications } from '../../ingestion/application/accept-notifications.use-case';
import { describeIssues, validateRequest } from '../../ingestion/application/validate-request';
import { StartWorkflowTriggers } from '../../workflows/application/start-workflow-triggers.use-case';
import { validateTrigger } from '../../workflows/application/validate-trigger';

/** One event from a stream or a queue, as its consumer read it. */
export type IncomingEvent =
  /** A raw event for the mapping rules (a stream record, an EventBridge event). */
  | { kind: 'event'; event: SourceEvent; payload: unknown }
  /** A notification request sent as it would be to the API. */
  | { kind: 'request'; id: string; idempotencyKey: string | null; body: unknown }
  /** A workflow trigger sent as it would be to `POST /v1/events`. */
  | { kind: 'trigger'; id: string; idempotencyKey: string; body: unknown }
  /** Could not be read at all. */
  | { kind: 'unreadable'; id: string; reason: string; payload: unknown };

/** What became of one event: `rejected` ones are recorded with their reason. */
export type EventOutcome = 'accepted' | 'duplicate' | 'skipped' | 'rejected';

export interface IngestEventsInput {
  /** The stream ARN, or `intake:<queue>`: the idempotency scope. */
  source: string;
  events: IncomingEvent[];
  /** Stream progress, committed with the notifications. */
  checkpoint?: ShardCheckpoint;
}

export interface IngestEventsResult {
  outcomes: EventOutcome[];
  counts: Record<EventOutcome, number>;
}

/**
 * Turns events into notification requests and workflow triggers (through the mapping rules, or as given) and accepts
 * the requests in one transaction through AcceptNotifications, the API's use case. An event that matches no rule is skipped; one
 * that matches but cannot become a valid request is recorded as rejected, so that it never blocks its source.
 * The idempotency key is the event id (plus the rule, as one event may feed several rules): reading an event
 * twice creates nothing new.
 */
@Injectable()
export class IngestEvents {
  private readonly logger = new Logger('EventSources');

  constructor(
    private readonly acceptNotifications: AcceptNotifications,
    private readonly startWorkflowTriggers: StartWorkflowTriggers,
    private readonly config: HeraldConfig,
  ) {}

  async execute(input: IngestEventsInput): Promise<IngestEventsResult> {
    return this.commit(this.prepare(input));
  }

  /**
   * The first half of execute, with no I/O: the rules and the checks, bad events logged. A stream reader prepares
   * its next batch while the current one commits; nothing is stored until `commit`.
   */
  prepare(input: IngestEventsInput): PreparedEvents {
    const outcomes: EventOutcome[] = [];
    const items: PendingItem[] = [];
    const triggers: PendingTrigger[] = [];
    const rejected: RejectedEvent[] = [];
    const reject = (eventId: string, rule: string | null, reason: string, payload: unknown) => {
      rejected.push({ source: input.source, eventId, rule, reason, payload: withoutNul(payload) });
      this.logger.warn(`event ${eventId} from ${input.source} rejected${rule ? ` (rule ${rule})` : ''}: ${reason}`);
    };

    input.events.forEach((incoming, index) => {
      switch (incoming.kind) {
        case 'unreadable':
          reject(incoming.id, null, incoming.reason, incoming.payload);
          outcomes.push('rejected');
          return;
        case 'request': {
          const checked = storable(validateRequest(incoming.body));
          if (!checked.ok) {
            reject(incoming.id, null, describeIssues(checked.issues), incoming.body);
            outcomes.push('rejected');
          } else {
            items.push({ idempotencyKey: incoming.idempotencyKey, request: checked.request, event: index, eventId: incoming.id, rule: null, payload: incoming.body });
            outcomes.push('accepted');
          }
          return;
        }
        case 'trigger': {
          const checked = storableTrigger(validateTrigger(incoming.body));
          if (!checked.ok) {
            reject(incoming.id, null, checked.reason, incoming.body);
            outcomes.push('rejected');
          } else {
            triggers.push({ idempotencyKey: incoming.idempotencyKey, trigger: checked.trigger, event: index, eventId: incoming.id, rule: null, payload: incoming.body });
            outcomes.push('accepted');
          }
          return;
        }
        case 'event': {
          const results = applyRules(this.config.eventRules.rules, incoming.event);
          if (results.length === 0) {
            outcomes.push('skipped');
            return;
          }
          let anyRejected = false;
          for (const result of results) {
            if (result.kind === 'trigger') {
              // The same checks as a trigger sent to the API or the queue (addresses, keys, run key).
              const trigger = storableTrigger(validateTrigger(result.trigger));
              if (!trigger.ok) {
                anyRejected = true;
                reject(incoming.event.id, result.rule, trigger.reason, incoming.payload);
              } else {
                triggers.push({ idempotencyKey: `${incoming.event.id}:${result.rule}`, trigger: trigger.trigger, event: index, eventId: incoming.event.id, rule: result.rule, payload: incoming.payload });
              }
              continue;
            }
            // Rules build requests from plain JSON documents (images, parsed events), fresh for each event.
            const checked = result.kind === 'request' ? storable(validateRequest(result.request, { json: true })) : null;
            if (result.kind === 'invalid' || !checked?.ok) {
              anyRejected = true;
              reject(incoming.event.id, result.rule, result.kind === 'invalid' ? result.reason : describeIssues(checked && !checked.ok ? checked.issues : []), incoming.payload);
            } else {
              items.push({
                idempotencyKey: `${incoming.event.id}:${result.rule}`,
                request: checked.request,
                event: index,
                eventId: incoming.event.id,
                rule: result.rule,
                payload: incoming.payload,
              });
            }
          }
          outcomes.push(anyRejected ? 'rejected' : 'accepted');
          return;
        }
      }
    });

    return { input, outcomes, items, triggers, rejected, reject };
  }

  /**
   * The second half: the batch's workflow triggers, then one transaction for its notifications, its rejected events
   * and its checkpoint.
   */
  async commit(prepared: PreparedEvents): Promise<IngestEventsResult> {
    const { input, outcomes, items, triggers, rejected, reject } = prepared;
    await this.startTriggers(input.source, triggers, outcomes, reject);
    const outcomesOfItems = await this.acceptNotifications.execute({
      source: input.source,
      items: items.map(({ idempotencyKey, request }) => ({ idempotencyKey, request })),
      allOrNothing: false,
      // A request can be refused only at acceptance (a template that does not exist, or lacks a variable the
      // event did not give): that one alone is rejected, recorded with the others and the checkpoint.
      extras: (refused) => {
        for (const { index, refusal } of refused) {
          const item = items[index];
          reject(item.eventId, item.rule, refusal.error.message, item.payload);
          outcomes[item.event] = 'rejected';
        }
        return { rejected, ...(input.checkpoint ? { checkpoint: input.checkpoint } : {}) };
      },
    });
    outcomesOfItems.forEach((result, i) => {
      const event = items[i].event;
      if (result.kind !== 'replayed' && result.kind !== 'key_reused') return;
      if (outcomes[event] === 'rejected') return;
      if (result.kind === 'key_reused') {
        // The event was accepted before with other content (the rules changed since): it is not notified twice.
        this.logger.warn(`event key ${result.idempotencyKey} from ${input.source} was accepted before with other content; not notified again`);
      }
      outcomes[event] = 'duplicate';
    });
    const counts: Record<EventOutcome, number> = { accepted: 0, duplicate: 0, skipped: 0, rejected: 0 };
    for (const o of outcomes) counts[o]++;
    return { outcomes, counts };
  }

  /**
   * Starts the batch's workflow triggers, in one transaction of their own (a few statements for the whole batch),
   * before the batch's notifications, rejected events and checkpoint commit. They are not in that transaction: runs
   * are the workflows module's tables, written through its port, and the notification intake's transaction is the
   * ingestion module's. Exactly once holds all the same: a trigger's idempotency key (the event id and the rule, or
   * the message's key) is unique per source, so a batch read again after a crash between the two commits, or a
   * redelivered message, finds its triggers started and starts nothing. A trigger that cannot start (no such
   * workflow or topic) is rejected with the batch, in its transaction.
   */
  private async startTriggers(source: string, triggers: PendingTrigger[], outcomes: EventOutcome[], reject: PreparedEvents['reject']): Promise<void> {
    if (triggers.length === 0) return;
    const results = await this.startWorkflowTriggers.execute({
      source,
      triggers: triggers.map(({ idempotencyKey, trigger }) => ({
        workflowKey: trigger.workflow,
        ...(trigger.recipients ? { recipients: trigger.recipients } : {}),
        ...(trigger.topic !== undefined ? { topic: trigger.topic } : {}),
        payload: trigger.payload,
        idempotencyKey,
        runKey: trigger.runKey ?? null,
      })),
    });
    results.forEach((result, i) => {
      const pending = triggers[i];
      if (result.kind === 'refused') {
        reject(pending.eventId, pending.rule, result.reason, pending.payload);
        outcomes[pending.event] = 'rejected';
        return;
      }
      if (result.kind === 'created' || outcomes[pending.event] === 'rejected') return;
      if (result.kind === 'key_reused') {
        this.logger.warn(`event key ${result.idempotencyKey} from ${source} started a workflow before with other content; not started again`);
      }
      outcomes[pending.event] = 'duplicate';
    });
  }
}

/** A batch through the rules and the checks, not yet stored (IngestEvents.prepare). */
export interface PreparedEvents {
  readonly input: IngestEventsInput;
  readonly outcomes: EventOutcome[];
  readonly items: PendingItem[];
  readonly triggers: PendingTrigger[];
  readonly rejected: RejectedEvent[];
  readonly reject: (eventId: string, rule: string | null, reason: string, payload: unknown) => void;
}

interface PendingItem {
  idempotencyKey: string | null;
  request: NotificationRequest;
  /** Index of the event it came from. */
  event: number;
  eventId: string;
  rule: string | null;
  payload: unknown;
}

interface PendingTrigger {
  idempotencyKey: string;
  trigger: WorkflowTriggerRequest;
  event: number;
  eventId: string;
  rule: string | null;
  payload: unknown;
}

type Checked = ReturnType<typeof validateRequest>;

/** PostgreSQL cannot store NUL characters in text or jsonb: such a request is refused rather than failing its whole batch. */
function storable(checked: Checked): Checked {
  if (checked.ok && hasNul(checked.request)) {
    return { ok: false, issues: [{ field: '(request)', reason: 'contains a NUL character, which cannot be stored' }] };
  }
  return checked;
}

/** A checked trigger, or why it cannot start (its issues; a NUL character, which PostgreSQL cannot store). */
function storableTrigger(checked: ReturnType<typeof validateTrigger>): { ok: true; trigger: WorkflowTriggerRequest } | { ok: false; reason: string } {
  if (!checked.ok) return { ok: false, reason: describeIssues(checked.issues) };
  if (hasNul(checked.trigger)) return { ok: false, reason: '(trigger) contains a NUL character, which cannot be stored' };
  return checked;
}

/** A NUL character in any string or key, at any depth. */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasNul(item)) return true;
    return false;
  }
  for (const key in value) {
    if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function withoutNul(payload: unknown): unknown {
  const text = JSON.stringify(payload ?? null);
  return text.includes('\\u0000') ? (JSON.parse(text.replace(/\\u0000/g, '')) as unknown) : payload;
}
