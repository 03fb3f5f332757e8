/** Base of every expected failure. `code` is stable and part of the public API; messages are for people. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldIssue {
  field: string;
  reason: string;
}

export class ValidationFailedError extends DomainError {
  readonly code = 'validation_failed';
  constructor(readonly issues: FieldIssue[]) {
    super(`Invalid request: ${issues.map((i) => `${i.field} ${i.reason}`).join('; ')}`);
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'idempotency_key_reused';
  constructor(readonly idempotencyKey: string) {
    super(`Idempotency-Key "${idempotencyKey}" was already used with a different request body`);
  }
}

export class NotificationNotFoundError extends DomainError {
  readonly code = 'notification_not_found';
  constructor(readonly notificationId: string) {
    super(`Notification ${notificationId} does not exist`);
  }
}

export class InvalidTransitionError extends DomainError {
  readonly code = 'invalid_status_transition';
  constructor(readonly from: string | null, readonly to: string) {
    super(`A notification cannot move from ${from ?? '(new)'} to ${to}`);
  }
}

export class UnknownScopeError extends DomainError {
  readonly code = 'unknown_scope';
  constructor(readonly scopes: string[]) {
    super(`Unknown scope(s): ${scopes.join(', ')}`);
  }
}

export class InboxItemNotFoundError extends DomainError {
  readonly code = 'inbox_item_not_found';
  constructor(readonly userId: string, readonly itemId: string) {
    super(`Inbox item ${itemId} does not exist for user ${userId}`);
  }
}

/** INBOX_TOKEN_SECRET is not set: user tokens can be neither minted nor accepted. */
export class InboxTokensDisabledError extends DomainError {
  readonly code = 'inbox_tokens_disabled';
  constructor() {
    super('User tokens are not enabled on this Herald: set INBOX_TOKEN_SECRET');
  }
}

/** The user has as many inbox streams open as allowed (INBOX_MAX_STREAMS_PER_USER). */
export class InboxStreamLimitError extends DomainError {
  readonly code = 'too_many_streams';
  constructor(readonly limit: number, readonly retryAfterSeconds: number) {
    super(`This user already has ${limit} inbox stream(s) open; close one, or retry after ${retryAfterSeconds} s`);
  }
}

/** VAPID keys are not configured: browsers cannot subscribe to web push. */
export class WebPushNotConfiguredError extends DomainError {
  readonly code = 'webpush_not_configured';
  constructor() {
    super('Web push is not configured on this Herald (VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY)');
  }
}

export class RecipientNotFoundError extends DomainError {
  readonly code = 'recipient_not_found';
  constructor(readonly userId: string) {
    super(`Recipient ${userId} does not exist`);
  }
}

export class TemplateNotFoundError extends DomainError {
  readonly code = 'template_not_found';
  constructor(readonly key: string, readonly version?: number) {
    super(version === undefined ? `Template "${key}" does not exist` : `Template "${key}" has no version ${version}`);
  }
}

/** The request's data lacks variables the template declares. */
export class TemplateVariablesMissingError extends DomainError {
  readonly code = 'template_variable_missing';
  readonly issues: FieldIssue[];
  constructor(readonly key: string, readonly missing: string[], fieldPrefix = '') {
    super(`Template "${key}" needs variable(s) missing from template.data: ${missing.join(', ')}`);
    this.issues = missing.map((m) => ({ field: `${fieldPrefix}template.data.${m}`, reason: `is required by template "${key}"` }));
  }
}

export class TemplateRenderError extends DomainError {
  readonly code = 'template_render_failed';
  constructor(readonly key: string, detail: string) {
    super(`Template "${key}" could not be rendered: ${detail}`);
  }
}

export class WorkflowNotFoundError extends DomainError {
  readonly code = 'workflow_not_found';
  constructor(readonly key: string, readonly version?: number) {
    super(version === undefined ? `Workflow "${key}" does not exist` : `Workflow "${key}" has no version ${version}`);
  }
}

export class WorkflowRunNotFoundError extends DomainError {
  readonly code = 'workflow_run_not_found';
  constructor(readonly id: string) {
    super(`Workflow run ${id} does not exist`);
  }
}

export class TopicNotFoundError extends DomainError {
  readonly code = 'topic_not_found';
  constructor(readonly key: string) {
    super(`Topic "${key}" does not exist`);
  }
}

export class FanoutNotFoundError extends DomainError {
  readonly code = 'fanout_not_found';
  constructor(readonly id: string) {
    super(`Fan-out ${id} does not exist`);
  }
}

export class NotificationNotCancellableError extends DomainError {
  readonly code = 'notification_not_cancellable';
  constructor(readonly notificationId: string, readonly status: string) {
    super(`Notification ${notificationId} is ${status}; only scheduled or queued notifications can be cancelled`);
  }
}

export class InvalidWebhookSignatureError extends DomainError {
  readonly code = 'invalid_webhook_signature';
  constructor(readonly provider: string, readonly why: string) {
    super(`The ${provider} webhook was refused: ${why}`);
  }
}

export class WebhookNotConfiguredError extends DomainError {
  readonly code = 'webhook_not_configured';
  constructor(readonly provider: string, readonly setting: string) {
    super(`The ${provider} webhook is not enabled on this server (set ${setting})`);
  }
}

export class SuppressionNotFoundError extends DomainError {
  readonly code = 'suppression_not_found';
  constructor(readonly channel: string, readonly address: string) {
    super(`${address} is not on the ${channel} suppression list`);
  }
}

export class ShardLeaseLostError extends DomainError {
  readonly code = 'shard_lease_lost';
  constructor(readonly streamArn: string, readonly shardId: string) {
    super(`The lease of shard ${shardId} of ${streamArn} is held by another process`);
  }
}

export class ApiKeyNotFoundError extends DomainError {
  readonly code = 'api_key_not_found';
  constructor(readonly id: string) {
    super(`No API key has id ${id}`);
  }
}
