import type { Client } from 'openapi-fetch';
import { HeraldError } from './errors.js';
import type { paths } from './generated/herald-api.js';
import type * as T from './types.js';

export type HeraldClient = Client<paths>;

/** The data of a 2xx answer; any other answer becomes a HeraldError. */
export async function unwrap<D>(pending: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await pending;
  if (!response.ok) throw HeraldError.fromResponse(response, error);
  return data as D;
}

const idempotencyKey = (options: T.IdempotentOptions | undefined) => ({ 'Idempotency-Key': options?.idempotencyKey ?? crypto.randomUUID() });

export class Notifications {
  constructor(private readonly client: HeraldClient) {}

  /** Accepts one notification per channel; answers once they are durably stored. */
  send(body: T.SendNotificationRequest, options?: T.IdempotentOptions): Promise<T.SendNotificationResult> {
    return unwrap(this.client.POST('/v1/notifications', { params: { header: idempotencyKey(options) }, body }));
  }

  /** Up to 1000 items in one transaction; an item without its own key gets "<idempotencyKey>:<index>". */
  sendBatch(items: T.BatchItem[], options?: T.IdempotentOptions): Promise<T.BatchResult> {
    return unwrap(this.client.POST('/v1/notifications/batch', { params: { header: idempotencyKey(options) }, body: { items } }));
  }

  get(id: string): Promise<T.Notification> {
    return unwrap(this.client.GET('/v1/notifications/{id}', { params: { path: { id } } }));
  }

  /** The content as it was sent (null until an attempt built it), with the template version and locale it came from. */
  content(id: string): Promise<T.NotificationContent> {
    return unwrap(this.client.GET('/v1/notifications/{id}/content', { params: { path: { id } } }));
  }

  /**
   * The activity feed: notifications matching every filter given (recipient, status, channel, category, provider,
   * template, topic or fan-out, idempotency key, metadata pairs, creation window), newest first; pass `nextCursor`
   * back as `cursor` with the same filters.
   */
  list(options: T.NotificationListOptions = {}): Promise<T.NotificationList> {
    return unwrap(this.client.GET('/v1/notifications', { params: { query: options } }));
  }

  /**
   * Sends named `unknown` notifications again (admin key). Their provider may have delivered them already, so the
   * caller must accept the risk of a duplicate in so many words. Not retried by the client: it takes no
   * Idempotency-Key.
   */
  resendUnknown(ids: string[], options: { acceptDuplicateRisk: true }): Promise<T.ResendUnknownResult> {
    return unwrap(this.client.POST('/v1/notifications/resend', { body: { ids, acceptDuplicateRisk: options.acceptDuplicateRisk } }));
  }

  /** Cancels a notification not yet sent (a scheduled one); HeraldError 409 once it is under way. */
  cancel(id: string): Promise<T.CancelledNotification> {
    return unwrap(this.client.POST('/v1/notifications/{id}/cancel', { params: { path: { id } } }));
  }
}

export class Recipients {
  constructor(private readonly client: HeraldClient) {}

  /** Replaces the stored profile: a field set to null is cleared. */
  put(userId: string, body: T.PutRecipientRequest): Promise<T.Recipient> {
    return unwrap(this.client.PUT('/v1/recipients/{userId}', { params: { path: { userId } }, body }));
  }

  get(userId: string): Promise<T.Recipient> {
    return unwrap(this.client.GET('/v1/recipients/{userId}', { params: { path: { userId } } }));
  }
}

export class Preferences {
  constructor(private readonly client: HeraldClient) {}

  get(userId: string): Promise<T.Preferences> {
    return unwrap(this.client.GET('/v1/recipients/{userId}/preferences', { params: { path: { userId } } }));
  }

  /** Replaces every earlier choice of the user. */
  put(userId: string, body: T.PutPreferencesRequest): Promise<T.Preferences> {
    return unwrap(this.client.PUT('/v1/recipients/{userId}/preferences', { params: { path: { userId } }, body }));
  }

  /** A signed link to the user's preference page. */
  createLink(userId: string): Promise<T.PreferenceLink> {
    return unwrap(this.client.POST('/v1/recipients/{userId}/preference-link', { params: { path: { userId } } }));
  }
}

export class Categories {
  constructor(private readonly client: HeraldClient) {}

  /** Creates or replaces a category (admin key). */
  put(name: string, body: T.PutCategoryRequest): Promise<T.Category> {
    return unwrap(this.client.PUT('/v1/categories/{name}', { params: { path: { name } }, body }));
  }

  list(): Promise<T.Category[]> {
    return unwrap(this.client.GET('/v1/categories'));
  }
}

export class Templates {
  constructor(private readonly client: HeraldClient) {}

  /** Stores a new version of the template (admin key). */
  put(key: string, body: T.PutTemplateRequest): Promise<T.Template> {
    return unwrap(this.client.PUT('/v1/templates/{key}', { params: { path: { key } }, body }));
  }

  get(key: string, options: T.TemplateGetOptions = {}): Promise<T.Template> {
    return unwrap(this.client.GET('/v1/templates/{key}', { params: { path: { key }, query: options } }));
  }

  /** Templates in key order as their latest version has them, those starting with `prefix` when given; pass `nextCursor` back as `cursor`. */
  list(options: T.TemplateListOptions = {}): Promise<T.TemplateList> {
    return unwrap(this.client.GET('/v1/templates', { params: { query: options } }));
  }

  preview(key: string, body: T.PreviewTemplateRequest): Promise<T.TemplatePreview> {
    return unwrap(this.client.POST('/v1/templates/{key}/preview', { params: { path: { key } }, body }));
  }
}

export class Workflows {
  constructor(private readonly client: HeraldClient) {}

  /** Stores the definition as the next version, or nothing when it equals the latest one (admin key). */
  put(key: string, body: T.PutWorkflowRequest): Promise<T.Workflow> {
    return unwrap(this.client.PUT('/v1/workflows/{key}', { params: { path: { key } }, body }));
  }

  get(key: string, options: T.WorkflowGetOptions = {}): Promise<T.Workflow> {
    return unwrap(this.client.GET('/v1/workflows/{key}', { params: { path: { key }, query: options } }));
  }

  list(options: T.WorkflowListOptions = {}): Promise<T.WorkflowList> {
    return unwrap(this.client.GET('/v1/workflows', { params: { query: options } }));
  }

  /** Starts the workflow for each recipient (or topic subscriber); retried with the same idempotency key, it starts nothing more. */
  trigger(body: T.TriggerEventRequest, options?: T.IdempotentOptions): Promise<T.TriggerResult> {
    return unwrap(this.client.POST('/v1/events', { params: { header: idempotencyKey(options) }, body }));
  }

  run(id: string): Promise<T.WorkflowRun> {
    return unwrap(this.client.GET('/v1/workflow-runs/{id}', { params: { path: { id } } }));
  }

  runs(options: T.WorkflowRunListOptions = {}): Promise<T.WorkflowRunList> {
    return unwrap(this.client.GET('/v1/workflow-runs', { params: { query: options } }));
  }

  /** Cancels the unfinished runs triggered with this run key. */
  cancel(workflow: string, runKey: string): Promise<T.CancelledWorkflowRuns> {
    return unwrap(this.client.POST('/v1/workflow-runs/cancel', { body: { workflow, runKey } }));
  }
}

export class Topics {
  constructor(private readonly client: HeraldClient) {}

  put(key: string, body: T.PutTopicRequest = {}): Promise<T.Topic> {
    return unwrap(this.client.PUT('/v1/topics/{key}', { params: { path: { key } }, body }));
  }

  get(key: string): Promise<T.Topic> {
    return unwrap(this.client.GET('/v1/topics/{key}', { params: { path: { key } } }));
  }

  /** Topics in key order with their subscriber counts; pass `nextCursor` back as `cursor`. */
  list(options: T.TopicListOptions = {}): Promise<T.TopicList> {
    return unwrap(this.client.GET('/v1/topics', { params: { query: options } }));
  }

  subscribe(key: string, userIds: string[]): Promise<T.SubscribeResult> {
    return unwrap(this.client.POST('/v1/topics/{key}/subscribers', { params: { path: { key } }, body: { userIds } }));
  }

  unsubscribe(key: string, userId: string): Promise<T.UnsubscribeResult> {
    return unwrap(this.client.DELETE('/v1/topics/{key}/subscribers/{userId}', { params: { path: { key, userId } } }));
  }

  /** Subscribers in user id order; pass the page's nextCursor as `after` for the next page. */
  listSubscribers(key: string, options: T.SubscriberListOptions = {}): Promise<T.SubscriberPage> {
    return unwrap(this.client.GET('/v1/topics/{key}/subscribers', { params: { path: { key }, query: options } }));
  }

  /** Sends to every subscriber; the answer is a fan-out to follow with getFanout. */
  notify(key: string, body: T.NotifyTopicRequest, options?: T.IdempotentOptions): Promise<T.Fanout> {
    return unwrap(this.client.POST('/v1/topics/{key}/notifications', { params: { path: { key }, header: idempotencyKey(options) }, body }));
  }

  getFanout(id: string): Promise<T.Fanout> {
    return unwrap(this.client.GET('/v1/fanouts/{id}', { params: { path: { id } } }));
  }

  /** The topic's fan-outs, newest first, each with its progress; pass `nextCursor` back as `cursor`. */
  listFanouts(key: string, options: T.FanoutListOptions = {}): Promise<T.FanoutList> {
    return unwrap(this.client.GET('/v1/fanouts', { params: { query: { ...options, topic: key } } }));
  }
}

export class Inbox {
  constructor(private readonly client: HeraldClient) {}

  list(userId: string, options: T.InboxListOptions = {}): Promise<T.InboxPage> {
    return unwrap(this.client.GET('/v1/users/{userId}/inbox', { params: { path: { userId }, query: options } }));
  }

  async markRead(userId: string, itemId: string): Promise<void> {
    await unwrap(this.client.POST('/v1/users/{userId}/inbox/{itemId}/read', { params: { path: { userId, itemId } } }));
  }

  async archive(userId: string, itemId: string): Promise<void> {
    await unwrap(this.client.POST('/v1/users/{userId}/inbox/{itemId}/archive', { params: { path: { userId, itemId } } }));
  }

  markAllRead(userId: string): Promise<T.MarkAllReadResult> {
    return unwrap(this.client.POST('/v1/users/{userId}/inbox/read-all', { params: { path: { userId } } }));
  }

  /**
   * A user token for this user's inbox, to hand to their browser (`HeraldInbox`). `@herald/sdk/server` has
   * `createInboxToken`, which mints the same token without a call.
   */
  createToken(body: T.CreateInboxTokenRequest): Promise<T.InboxToken> {
    return unwrap(this.client.POST('/v1/inbox/tokens', { body }));
  }
}

export class DeadLetters {
  constructor(private readonly client: HeraldClient) {}

  /** Messages in a channel's dead-letter queue (admin key). */
  list(channel: T.DeadLetterChannel, options: T.DeadLetterListOptions = {}): Promise<T.DeadLetterList> {
    return unwrap(this.client.GET('/v1/dead-letters/{channel}', { params: { path: { channel }, query: options } }));
  }

  /** Puts dead-lettered messages back on the channel's queue: `{ messageIds }` or `{ all: true }`. */
  redrive(channel: T.DeadLetterChannel, body: T.RedriveDeadLettersRequest): Promise<T.DeadLetterRedriveResult> {
    return unwrap(this.client.POST('/v1/dead-letters/{channel}/redrive', { params: { path: { channel } }, body }));
  }

  /** Notifications that failed for good. */
  listFailed(options: T.FailedNotificationListOptions = {}): Promise<T.FailedNotificationList> {
    return unwrap(this.client.GET('/v1/failed-notifications', { params: { query: options } }));
  }

  /** Sends failed notifications again: `{ ids }`, `{ filter }` or `{ all: true }`. */
  redriveFailed(body: T.RedriveFailedRequest): Promise<T.RedriveFailedResult> {
    return unwrap(this.client.POST('/v1/failed-notifications/redrive', { body }));
  }
}

export class Suppressions {
  constructor(private readonly client: HeraldClient) {}

  list(options: T.SuppressionListOptions = {}): Promise<T.SuppressionList> {
    return unwrap(this.client.GET('/v1/suppressions', { params: { query: options } }));
  }

  add(body: T.AddSuppressionRequest): Promise<T.AddSuppressionResult> {
    return unwrap(this.client.POST('/v1/suppressions', { body }));
  }

  async remove(channel: T.SuppressionChannel, address: string): Promise<void> {
    await unwrap(this.client.DELETE('/v1/suppressions/{channel}/{address}', { params: { path: { channel, address } } }));
  }
}

export class RejectedEvents {
  constructor(private readonly client: HeraldClient) {}

  list(options: T.RejectedEventListOptions = {}): Promise<T.RejectedEventsPage> {
    return unwrap(this.client.GET('/v1/rejected-events', { params: { query: options } }));
  }
}

export class Analytics {
  constructor(private readonly client: HeraldClient) {}

  /**
   * Counts and rates (delivery, open, click, unsubscribe, bounce...) of the notifications created in a window; with
   * `interval` (`hour` or `day`) also per bucket of the window, and `channel` or `category` to narrow it.
   */
  engagement(options: T.EngagementOptions): Promise<T.EngagementReport> {
    return unwrap(this.client.GET('/v1/analytics/engagement', { params: { query: options } }));
  }
}

export class Providers {
  constructor(private readonly client: HeraldClient) {}

  /** Per channel and provider: its circuit breaker across the live workers, and its attempts over `window` (default 15m). */
  health(options: T.ProviderHealthOptions = {}): Promise<T.ProviderHealthReport> {
    return unwrap(this.client.GET('/v1/providers/health', { params: { query: options } }));
  }
}

/** API keys (admin key). */
export class ApiKeys {
  constructor(private readonly client: HeraldClient) {}

  /** The secret is in this answer only. Not retried by the client: it takes no Idempotency-Key. */
  create(body: T.CreateApiKeyRequest): Promise<T.CreatedApiKey> {
    return unwrap(this.client.POST('/v1/api-keys', { body }));
  }

  /** Every key, newest first: prefix and last four characters, never the secret. */
  list(): Promise<T.ApiKeyList> {
    return unwrap(this.client.GET('/v1/api-keys'));
  }

  revoke(id: string): Promise<T.ApiKey> {
    return unwrap(this.client.DELETE('/v1/api-keys/{id}', { params: { path: { id } } }));
  }
}

/** The audit log of admin actions (admin key). */
export class AuditLog {
  constructor(private readonly client: HeraldClient) {}

  /** Newest first; pass `nextCursor` back as `cursor` with the same filters. */
  list(options: T.AuditLogListOptions = {}): Promise<T.AuditLogPage> {
    return unwrap(this.client.GET('/v1/audit-log', { params: { query: options } }));
  }
}
