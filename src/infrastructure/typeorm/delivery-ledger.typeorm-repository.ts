import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { allowedSourcesOf } from '../../domain/notification/notification-status';
import type { Channel } from '../../domain/notification/channel';
import {
  DeliveryLedger,
  type ClaimedNotification,
  type FinishedAttempt,
  type LeaseRecoveryReport,
  type StartedAttempt,
} from '../../domain/ports/delivery-ledger.port';
import { FieldCipher } from '../crypto/field-cipher';
import { SentContentCodec } from './sent-content.codec';

/**
 * The id of a notification's attempt, from the notification and the attempt's number: the worker learns it when the
 * attempt starts, and lease recovery, which may write the row first, gives it the same one.
 */
export const ATTEMPT_ID_OF = (notificationId: string, attemptNumber: string): string => `md5(${notificationId}::text || ':' || ${attemptNumber})::uuid`;

@Injectable()
export class DeliveryLedgerTypeormRepository extends DeliveryLedger {
  private readonly sentContent: SentContentCodec;

  constructor(@InjectDataSource() private readonly db: DataSource, cipher: FieldCipher) {
    super();
    this.sentContent = new SentContentCodec(cipher);
  }

  async claimForSending(ids: string[], owner: string, leaseMs: number): Promise<ClaimedNotification[]> {
    if (ids.length === 0) return [];
    // The subquery locks each row and reads its current status; a row another worker is sending
    // under a live lease, or one already past sending, does not match and is left alone.
    const rows: Array<Record<string, any>> = await this.db.query(
      `WITH current AS (
         SELECT id, status AS old_status FROM notifications WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE
       ), claimed AS (
         UPDATE notifications n
         SET status = 'sending', lease_owner = $2, lease_expires_at = now() + make_interval(secs => $3::double precision / 1000),
             provider_call_started_at = NULL, updated_at = now()
         FROM current c
         WHERE n.id = c.id
           AND ((c.old_status = ANY($4::text[]) AND (n.next_attempt_at IS NULL OR n.next_attempt_at <= now()))
             OR (c.old_status = 'sending' AND n.lease_expires_at < now() AND n.provider_call_started_at IS NULL))
         RETURNING n.id, n.channel, n.recipient, n.content, n.category, n.template, n.metadata, n.attempt_count, c.old_status
       ), history AS (
         INSERT INTO notification_status_history (notification_id, from_status, to_status, reason)
         SELECT id, old_status, 'sending',
                CASE WHEN old_status = 'sending' THEN 're-claimed after an expired lease; the provider had not been called' ELSE NULL END
         FROM claimed
       )
       SELECT c.*, coalesce((
         SELECT array_agg(DISTINCT d.destination) FROM notification_destination_sends d
         WHERE d.notification_id = c.id AND d.outcome <> 'transient_failure'
       ), '{}') AS settled_destinations
       FROM claimed c`,
      [ids, owner, leaseMs, allowedSourcesOf('sending').filter((s) => s !== 'sending')],
    );
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      recipient: r.recipient,
      content: r.content,
      category: r.category,
      template: r.template,
      metadata: r.metadata,
      attemptCount: r.attempt_count,
      settledDestinations: r.settled_destinations,
    }));
  }

  async beginAttempts(ids: string[], owner: string): Promise<StartedAttempt[]> {
    if (ids.length === 0) return [];
    // The start is recorded on the notification row alone: no indexed column changes (updated_at follows status
    // changes, and this is not one), so the row is updated in place on its page without index writes (migrations
    // SendPathWrites, NotificationFillFactor: the claim's new version and this one both fit on the page the row was
    // inserted in). The attempt's own row is written once, with its outcome (finishAttempts), or by lease
    // recovery as unknown; until then readers derive the attempt in flight from these two columns. Its id is
    // derived from the notification and the attempt number, so that whoever writes the row gives the same one.
    const rows: Array<{ id: string; attempt_id: string; attempt_count: number }> = await this.db.query(
      `WITH started AS (
         UPDATE notifications SET provider_call_started_at = now(), attempt_count = attempt_count + 1
         WHERE id = ANY($1::uuid[]) AND status = 'sending' AND lease_owner = $2 AND provider_call_started_at IS NULL
         RETURNING id, attempt_count
       )
       SELECT id, ${ATTEMPT_ID_OF('id', 'attempt_count')} AS attempt_id, attempt_count FROM started`,
      [ids, owner],
    );
    return rows.map((r) => ({ notificationId: r.id, attemptId: r.attempt_id, attemptNumber: r.attempt_count }));
  }

  async finishAttempts(results: FinishedAttempt[]): Promise<void> {
    if (results.length === 0) return;
    const payload = results.map((r) => ({
      notification_id: r.notificationId,
      attempt_id: r.attemptId,
      attempt_number: r.attemptNumber ?? null,
      provider: r.provider,
      provider_message_id: r.providerMessageId,
      error_code: r.errorCode,
      error_message: r.errorMessage?.slice(0, 2000) ?? null,
      duration_ms: Math.round(r.durationMs),
      outcome: r.decision.attemptOutcome,
      status: r.decision.status,
      allowed_from: allowedSourcesOf(r.decision.status),
      reason: r.decision.reason,
      retry_at: r.decision.retryAt?.toISOString() ?? null,
      withdrawn: r.decision.attemptWithdrawn === true,
      // A withdrawn attempt called no provider: nothing was sent.
      sent_content: r.sentContent && !r.decision.attemptWithdrawn ? this.sentContent.seal(r.notificationId, r.sentContent) : null,
    }));
    // A withdrawn attempt called no provider: it leaves no attempt and no destination sends behind.
    const destinations = results.filter((r) => !r.decision.attemptWithdrawn).flatMap((r) =>
      (r.destinations ?? []).map((d) => ({
        notification_id: r.notificationId,
        attempt_id: r.attemptId,
        destination: d.destination,
        provider: d.provider,
        outcome: d.outcome,
        error_code: d.errorCode,
        error_message: d.errorMessage?.slice(0, 2000) ?? null,
        provider_message_id: d.providerMessageId,
      })),
    );
    await this.db.query(
      `WITH x AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(notification_id uuid, attempt_id uuid, attempt_number int, provider text, provider_message_id text,
           error_code text, error_message text, duration_ms int, outcome text, status text, allowed_from text[], reason text, retry_at timestamptz,
           withdrawn boolean, sent_content text)
       ), current AS (
         SELECT n.id, n.status AS old_status, n.attempt_count, n.provider_call_started_at
         FROM notifications n JOIN x ON x.notification_id = n.id ORDER BY n.id FOR UPDATE OF n
       ), attempts AS (
         -- The attempt's only write. A row already there is the one lease recovery wrote as unknown (the same id):
         -- the outcome the worker learnt replaces it, as it did when the row was written at the start.
         INSERT INTO notification_attempts (id, notification_id, attempt_number, provider, outcome, provider_message_id, error_code, error_message,
                                            started_at, finished_at, duration_ms)
         SELECT x.attempt_id, x.notification_id, coalesce(x.attempt_number, c.attempt_count), x.provider, x.outcome, x.provider_message_id,
                x.error_code, x.error_message, coalesce(c.provider_call_started_at, now()), now(), x.duration_ms
         FROM x JOIN current c ON c.id = x.notification_id
         WHERE x.attempt_id IS NOT NULL AND NOT x.withdrawn
         ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome, provider = excluded.provider, provider_message_id = excluded.provider_message_id,
           error_code = excluded.error_code, error_message = excluded.error_message, finished_at = excluded.finished_at, duration_ms = excluded.duration_ms
       ), withdrawn AS (
         -- Normally there is no row to remove; lease recovery may have written one meanwhile.
         DELETE FROM notification_attempts a USING x WHERE a.id = x.attempt_id AND x.withdrawn
       ), moved AS (
         UPDATE notifications n
         SET status = x.status, status_reason = x.reason, next_attempt_at = x.retry_at, lease_owner = NULL, lease_expires_at = NULL,
             attempt_count = n.attempt_count - CASE WHEN x.withdrawn THEN 1 ELSE 0 END,
             provider = coalesce(x.provider, n.provider), provider_message_id = coalesce(x.provider_message_id, n.provider_message_id),
             sent_at = CASE WHEN x.status = 'sent' THEN now() ELSE n.sent_at END, updated_at = now(),
             sent_content = coalesce(x.sent_content, n.sent_content)
         FROM x JOIN current c ON c.id = x.notification_id
         WHERE n.id = x.notification_id AND c.old_status = ANY(x.allowed_from)
         RETURNING n.id, n.channel, c.old_status, x.status, x.reason, x.retry_at
       ), history AS (
         INSERT INTO notification_status_history (notification_id, from_status, to_status, reason)
         SELECT id, old_status, status, reason FROM moved
       ), destination_sends AS (
         INSERT INTO notification_destination_sends (notification_id, attempt_id, destination, provider, outcome, error_code, error_message, provider_message_id)
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS d(notification_id uuid, attempt_id uuid, destination text, provider text, outcome text,
           error_code text, error_message text, provider_message_id text)
       )
       INSERT INTO outbox (notification_id, channel, available_at)
       SELECT id, channel, coalesce(retry_at, now()) FROM moved WHERE status = 'queued'`,
      [JSON.stringify(payload), JSON.stringify(destinations)],
    );
  }

  async recoverExpiredLeases(resendableChannels: Channel[], limit: number): Promise<LeaseRecoveryReport> {
    const rows: Array<{ status: string; count: string }> = await this.db.query(
      `WITH expired AS (
         SELECT id, channel, provider_call_started_at FROM notifications
         WHERE status = 'sending' AND lease_expires_at < now()
         ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), moved AS (
         UPDATE notifications n
         SET status = CASE WHEN e.provider_call_started_at IS NULL OR e.channel = ANY($2::text[]) THEN 'queued' ELSE 'unknown' END,
             status_reason = CASE
               WHEN e.provider_call_started_at IS NULL THEN 'worker lease expired before the provider was called; queued again'
               WHEN e.channel = ANY($2::text[]) THEN 'worker lease expired during the provider call; resent with the same idempotency key'
               ELSE 'worker lease expired during the provider call; the provider may or may not have accepted it' END,
             lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, updated_at = now()
         FROM expired e WHERE n.id = e.id
         RETURNING n.id, n.channel, n.status, n.status_reason, n.attempt_count
       ), attempts AS (
         INSERT INTO notification_attempts (id, notification_id, attempt_number, outcome, started_at, finished_at, error_code, error_message)
         SELECT ${ATTEMPT_ID_OF('m.id', 'm.attempt_count')}, m.id, m.attempt_count, 'unknown', e.provider_call_started_at, now(), 'worker_lost',
                'the worker stopped before recording the outcome'
         FROM moved m JOIN expired e ON e.id = m.id WHERE e.provider_call_started_at IS NOT NULL
         ON CONFLICT (id) DO NOTHING
       ), history AS (
         INSERT INTO notification_status_history (notification_id, from_status, to_status, reason)
         SELECT id, 'sending', status, status_reason FROM moved
       ), queued AS (
         INSERT INTO outbox (notification_id, channel) SELECT id, channel FROM moved WHERE status = 'queued'
       )
       SELECT status, count(*) FROM moved GROUP BY status`,
      [limit, resendableChannels],
    );
    const count = (s: string) => Number(rows.find((r) => r.status === s)?.count ?? 0);
    return { requeued: count('queued'), markedUnknown: count('unknown') };
  }

  async requeueStranded(dueForMs: number, limit: number): Promise<number> {
    // Due since before the threshold: accepted, last moved, or retry time all older than it.
    const rows: Array<{ id: string }> = await this.db.query(
      `WITH stranded AS (
         SELECT n.id, n.channel FROM notifications n
         WHERE n.status = 'queued'
           AND greatest(n.updated_at, coalesce(n.next_attempt_at, n.updated_at)) < now() - make_interval(secs => $1::double precision / 1000)
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.notification_id = n.id)
         ORDER BY n.updated_at LIMIT $2 FOR UPDATE OF n SKIP LOCKED
       ), touched AS (
         -- The status does not change (no history row); the clock restarts so that a second loss is found too.
         UPDATE notifications n SET updated_at = now() FROM stranded s WHERE n.id = s.id
       )
       INSERT INTO outbox (notification_id, channel) SELECT id, channel FROM stranded RETURNING notification_id AS id`,
      [dueForMs, limit],
    );
    return rows.length;
  }
}
