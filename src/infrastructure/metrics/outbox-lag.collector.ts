import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { sharedSample } from './metrics-registry';

/** Outbox gauges, read from the database when /metrics is scraped (processes running the relay role). */
@Injectable()
export class OutboxLagCollector {
  constructor(registry: Registry, @InjectDataSource() db: DataSource) {
    const sample = sharedSample(async () => {
      const [row]: Array<{ due: string; lag: number | null }> = await db.query(
        `SELECT count(*) AS due, extract(epoch FROM now() - min(available_at))::float8 AS lag FROM outbox WHERE available_at <= now()`,
      );
      return { due: Number(row.due), lagSeconds: row.lag ?? 0 };
    });
    new Gauge({
      name: 'herald_outbox_lag_seconds',
      help: 'Age of the oldest outbox entry that is due and not yet published to its queue (0 when none).',
      registers: [registry],
      async collect() {
        const s = await sample();
        if (s) this.set(s.lagSeconds);
      },
    });
    new Gauge({
      name: 'herald_outbox_due_entries',
      help: 'Outbox entries due for publishing.',
      registers: [registry],
      async collect() {
        const s = await sample();
        if (s) this.set(s.due);
      },
    });
  }
}
