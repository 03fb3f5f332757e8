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

export class ShardLeaseLostError extends DomainError {
  readonly code = 'shard_lease_lost';
  constructor(readonly streamArn: string, readonly shardId: string) {
    super(`The lease of shard ${shardId} of ${streamArn} is held by another process`);
  }
}
