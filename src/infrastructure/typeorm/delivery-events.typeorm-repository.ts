import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { statusAfter, suppressesAddress, type DeliveryEvent } from '../../domain/delivery/delivery-event';
import { canTransition, type NotificationStatus } from '../../domain/notification/notification-status';
import type { Channel } from '../../domain/notification/channel';
import { DeliveryEvents, type DeliveryEventsReport, type RecordedDeliveryEvents, type StatusMove } from '../../domain/ports/delivery-events.port';
import { normaliseAddress } from './suppression-list.typeorm-repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Step {
  id: string;
  from: NotificationStatus;
  to: NotificationStatus;
  reason: string;
  at: string;
}

/** Four statements per batch, whatever its size: store the new events, lock their notifications, move them, suppress. */
@Injectable()
export class DeliveryEventsTypeormRepository extends DeliveryEvents {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async record(events: DeliveryEvent[]): Promise<RecordedDeliveryEvents> {
    const report: DeliveryEventsReport = { recorded: 0, duplicates: 0, statusChanges: 0, unmatched: 0, suppressed: 0 };
    const moves: StatusMove[] = [];
    if (events.length === 0) return { report, moves };
    // In order of occurrence, so that one post carrying "delivered" then "opened" moves step by step.
    const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    const unique = ordered.filter((e, i) => ordered.findIndex((o) => o.provider === e.provider && o.eventId === e.eventId) === i);
    report.duplicates = ordered.length - unique.length;
    return this.db.transaction(async (tx) => {
      const inserted: Array<{ ord: number; notification_id: string | null }> = await tx.query(
        `WITH x AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, provider text, event_id text, notification_id uuid, provider_message_id text,
             type text, permanent boolean, address text, occurred_at timestamptz, detail text)
         ), resolved AS (
           SELECT x.*, coalesce((SELECT n.id FROM notifications n WHERE n.id = x.notification_id),
                                (SELECT n.id FROM notifications n WHERE n.provider_message_id = x.provider_message_id ORDER BY n.created_at DESC LIMIT 1)) AS nid
           FROM x
         ), stored AS (
           INSERT INTO delivery_events (provider, event_id, notification_id, type, permanent, address, occurred_at, detail)
           SELECT provider, event_id, nid, type, permanent, address, occurred_at, detail FROM resolved ORDER BY ord
           ON CONFLICT (provider, event_id) DO NOTHING
           RETURNING provider, event_id, notification_id
         )
         SELECT r.ord, s.notification_id FROM stored s JOIN resolved r ON r.provider = s.provider AND r.event_id = s.event_id ORDER BY r.ord`,
        [
          JSON.stringify(
            unique.map((e, ord) => ({
              ord,
              provider: e.provider,
              event_id: e.eventId,
              notification_id: e.notificationId && UUID.test(e.notificationId) ? e.notificationId : null,
              provider_message_id: e.providerMessageId,
              type: e.type,
              permanent: e.permanent,
              address: e.address,
              occurred_at: e.occurredAt.toISOString(),
              detail: e.detail?.slice(0, 2000) ?? null,
            })),
          ),
        ],
      );
      report.recorded = inserted.length;
      report.duplicates += unique.length - inserted.length;
      report.unmatched = inserted.filter((r) => !r.notification_id).length;
      const fresh = inserted.map((r) => ({ event: unique[r.ord], notificationId: r.notification_id }));

      // Walk each notification through its new events with the state machine: a step back is skipped.
      const moving = fresh.filter((f) => f.notificationId && statusAfter(f.event));
      const ids = [...new Set(moving.map((f) => f.notificationId!))];
      if (ids.length) {
        const current: Array<{ id: string; status: NotificationStatus; channel: Channel; category: string | null; template: string | null; provider: string | null }> =
          await tx.query(`SELECT id, status, channel, category, template, provider FROM notifications WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
        const state = new Map(current.map((c) => [c.id, c.status]));
        const subjects = new Map(current.map(({ id, channel, category, template, provider }) => [id, { channel, category, template, provider }]));
        const steps: Step[] = [];
        for (const { event, notificationId } of moving) {
          const from = state.get(notificationId!);
          const to = statusAfter(event)!;
          if (!from || !canTransition(from, to)) continue;
          steps.push({ id: notificationId!, from, to, reason: `${event.provider} reported ${event.type}${event.detail ? `: ${event.detail}` : ''}`.slice(0, 2000), at: event.occurredAt.toISOString() });
          state.set(notificationId!, to);
          moves.push({ notificationId: notificationId!, to, subject: subjects.get(notificationId!)! });
        }
        if (steps.length) {
          const last = new Map(steps.map((s) => [s.id, s]));
          await tx.query(
            `WITH s AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(id uuid, "from" text, "to" text, reason text, at timestamptz, final boolean)),
             moved AS (
               UPDATE notifications n SET status = s."to", status_reason = s.reason, updated_at = now() FROM s WHERE n.id = s.id AND s.final
             )
             INSERT INTO notification_status_history (notification_id, from_status, to_status, reason, created_at)
             SELECT id, "from", "to", reason, at FROM s`,
            [JSON.stringify(steps.map((s) => ({ ...s, final: last.get(s.id) === s })))],
          );
          report.statusChanges = steps.length;
        }
      }

      const suppress = fresh.map((f) => f.event).filter(suppressesAddress);
      if (suppress.length) {
        const added: unknown[] = await tx.query(
          `INSERT INTO suppressions (channel, address, reason, source)
           SELECT channel, address, reason, source FROM jsonb_to_recordset($1::jsonb) AS x(channel text, address text, reason text, source text)
           ON CONFLICT (channel, address) DO NOTHING RETURNING 1`,
          [
            JSON.stringify(
              suppress.map((e) => ({
                channel: e.channel,
                address: normaliseAddress(e.channel, e.address!),
                reason: e.type === 'complained' ? 'complaint' : `hard bounce${e.detail ? `: ${e.detail}` : ''}`,
                source: e.provider,
              })),
            ),
          ],
        );
        report.suppressed = added.length;
      }
      return { report, moves };
    });
  }
}
