import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { InboxFeed, type InboxFeedEvent } from '../../domain/ports/inbox.port';
import { HeraldConfig } from '../config/herald-config';
import { INBOX_CHANNEL, toInboxItem } from './inbox.typeorm-repository';

type Listener = (event: InboxFeedEvent) => void;

/**
 * New inbox items from every process, through Postgres LISTEN/NOTIFY: the worker that stores an item announces it,
 * and each API process (one dedicated connection, opened on the first subscriber) passes it to its open streams.
 */
@Injectable()
export class PgInboxFeed extends InboxFeed implements OnModuleDestroy {
  private readonly logger = new Logger('InboxFeed');
  private readonly listeners = new Map<string, Set<Listener>>();
  private connection: Promise<Client> | null = null;
  private closed = false;
  /** Announcements are handled one after another, so that listeners hear them in commit order (the item look-ups would race). */
  private handling: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: HeraldConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    super();
  }

  async subscribe(userId: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(userId);
    if (!set) this.listeners.set(userId, (set = new Set()));
    set.add(listener);
    try {
      await this.listen();
    } catch (err) {
      set.delete(listener);
      throw err;
    }
    return () => {
      const current = this.listeners.get(userId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(userId);
    };
  }

  private listen(): Promise<Client> {
    this.connection ??= (async () => {
      const client = new Client({ connectionString: this.config.database.url });
      client.on('notification', (n) => {
        this.handling = this.handling.then(() => this.dispatch(n.payload)).catch((err: Error) => this.logger.warn(`inbox event not streamed: ${err.message}`));
      });
      client.on('error', (err) => {
        this.logger.error(`inbox feed connection lost: ${err.message}`);
        this.connection = null;
        client.end().catch(() => undefined);
        // What was announced while no connection listened is not heard: every listener is told, and dropped.
        const everyone = [...this.listeners.values()].flatMap((set) => [...set]);
        this.listeners.clear();
        for (const listener of everyone) listener({ kind: 'lost' });
      });
      await client.connect();
      await client.query(`LISTEN ${INBOX_CHANNEL}`);
      return client;
    })();
    this.connection.catch(() => (this.connection = null));
    return this.connection;
  }

  private async dispatch(payload: string | undefined): Promise<void> {
    if (this.closed || !payload) return;
    let note: { userId?: string; id?: string; changed?: boolean };
    try {
      note = JSON.parse(payload) as typeof note;
    } catch {
      return;
    }
    const listeners = note.userId ? this.listeners.get(note.userId) : undefined;
    if (!listeners?.size) return;
    if (note.changed === true) {
      for (const listener of [...listeners]) listener({ kind: 'changed' });
      return;
    }
    if (typeof note.id !== 'string') return;
    try {
      const rows: Array<Record<string, any>> = await this.db.query(`SELECT * FROM inbox_items WHERE id = $1`, [note.id]);
      if (!rows[0]) return;
      const item = toInboxItem(rows[0]);
      for (const listener of [...listeners]) listener({ kind: 'item', item });
    } catch (err) {
      this.logger.warn(`inbox item ${note.id} not streamed: ${(err as Error).message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = null;
    if (connection) await (await connection.catch(() => null))?.end().catch(() => undefined);
  }
}
