import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { statusAfter, suppressesAddress, type DeliveryEvent } from '../../domain/delivery/delivery-event';
import { allowedSourcesOf } from '../../domain/notification/notification-status';
import { DeliveryEvents, type DeliveryEventsReport } from '../../domain/ports/delivery-events.port';
import { normaliseAddress } from './suppression-list.typeorm-repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class DeliveryEventsTypeormRepository extends DeliveryEvents {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async record(events: DeliveryEvent[]): Promise<DeliveryEventsReport> {
    const report: DeliveryEventsReport = { recorded: 0, duplicates: 0, statusChanges: 0, unmatched: 0, suppressed: 0 };
    if (events.length === 0) return report;
    // In order of occurrence, so that one post carrying "delivered" then "opened" moves step by step.
    const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    await this.db.transaction(async (tx) => {
      for (const e of ordered) {
        const inserted: Array<{ notification_id: string | null }> = await tx.query(
          `INSERT INTO delivery_events (provider, event_id, notification_id, type, permanent, address, occurred_at, detail)
           VALUES ($1, $2,
             coalesce((SELECT id FROM notifications WHERE id = $3::uuid),
                      (SELECT id FROM notifications WHERE provider_message_id = $4 ORDER BY created_at DESC LIMIT 1)),
             $5, $6, $7, $8, $9)
           ON CONFLICT (provider, event_id) DO NOTHING RETURNING notification_id`,
          [e.provider, e.eventId, e.notificationId && UUID.test(e.notificationId) ? e.notificationId : null, e.providerMessageId, e.type, e.permanent, e.address, e.occurredAt.toISOString(), e.detail?.slice(0, 2000) ?? null],
        );
        if (inserted.length === 0) {
          report.duplicates++;
          continue;
        }
        report.recorded++;
        const notificationId = inserted[0].notification_id;
        if (!notificationId) report.unmatched++;
        const target = statusAfter(e);
        if (notificationId && target) {
          const reason = `${e.provider} reported ${e.type}${e.detail ? `: ${e.detail}` : ''}`.slice(0, 2000);
          const moved: Array<{ id: string }> = await tx.query(
            `WITH current AS (SELECT id, status FROM notifications WHERE id = $1 FOR UPDATE),
             moved AS (
               UPDATE notifications n SET status = $2, status_reason = $3, updated_at = now()
               FROM current c WHERE n.id = c.id AND c.status = ANY($4::text[]) RETURNING n.id, c.status AS old_status
             ), history AS (
               INSERT INTO notification_status_history (notification_id, from_status, to_status, reason, created_at)
               SELECT id, old_status, $2, $3, $5 FROM moved
             )
             SELECT id FROM moved`,
            [notificationId, target, reason, allowedSourcesOf(target), e.occurredAt.toISOString()],
          );
          report.statusChanges += moved.length;
        }
        if (suppressesAddress(e)) {
          const added: unknown[] = await tx.query(
            `INSERT INTO suppressions (channel, address, reason, source) VALUES ($1, $2, $3, $4) ON CONFLICT (channel, address) DO NOTHING RETURNING 1`,
            [e.channel, normaliseAddress(e.channel, e.address!), e.type === 'complained' ? 'complaint' : `hard bounce${e.detail ? `: ${e.detail}` : ''}`, e.provider],
          );
          report.suppressed += added.length;
        }
      }
    });
    return report;
  }
}
