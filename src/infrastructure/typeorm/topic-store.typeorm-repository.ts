import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TopicStore, type SubscriberPage, type Topic, type TopicPage } from '../../domain/ports/topic-store.port';

type Row = Record<string, any>;

const toTopic = (r: Row): Topic => ({ key: r.key, name: r.name, createdAt: r.created_at, subscriberCount: r.subscribers });

/**
 * One page of the topic listing, in byte order of the key (`COLLATE "C"`, index `topics_key_bytes`) as the template
 * listing is. Each count is an index-only count of the topic's subscriptions (their primary key).
 */
export function topicListQuery(after: string | null, limit: number): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT t.key, t.name, t.created_at, (SELECT count(*)::int FROM topic_subscriptions s WHERE s.topic_key = t.key) AS subscribers
          FROM topics t ${after === null ? '' : 'WHERE t.key COLLATE "C" > $2'}
          ORDER BY t.key COLLATE "C" LIMIT $1`,
    params: after === null ? [limit + 1] : [limit + 1, after],
  };
}

@Injectable()
export class TopicStoreTypeormRepository extends TopicStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async upsert(key: string, name: string): Promise<Topic> {
    await this.db.query(`INSERT INTO topics (key, name) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name`, [key, name]);
    return (await this.find(key))!;
  }

  async find(key: string): Promise<Topic | null> {
    const rows: Row[] = await this.db.query(
      `SELECT t.key, t.name, t.created_at, (SELECT count(*)::int FROM topic_subscriptions s WHERE s.topic_key = t.key) AS subscribers
       FROM topics t WHERE t.key = $1`,
      [key],
    );
    return rows[0] ? toTopic(rows[0]) : null;
  }

  async list(after: string | null, limit: number): Promise<TopicPage> {
    const { sql, params } = topicListQuery(after, limit);
    const rows: Row[] = await this.db.query(sql, params);
    const topics = rows.slice(0, limit).map(toTopic);
    return { topics, nextCursor: rows.length > limit ? topics[topics.length - 1].key : null };
  }

  async subscribe(key: string, userIds: string[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO topics (key) VALUES ($1) ON CONFLICT DO NOTHING`, [key]);
      const rows: Row[] = await tx.query(
        `WITH added AS (
           INSERT INTO topic_subscriptions (topic_key, user_id) SELECT $1, u FROM unnest($2::text[]) AS u
           ON CONFLICT DO NOTHING RETURNING 1
         )
         SELECT count(*)::int AS n FROM added`,
        [key, userIds],
      );
      return rows[0].n as number;
    });
  }

  async unsubscribe(key: string, userIds: string[]): Promise<number> {
    const rows: Row[] = await this.db.query(
      `WITH removed AS (DELETE FROM topic_subscriptions WHERE topic_key = $1 AND user_id = ANY($2::text[]) RETURNING 1)
       SELECT count(*)::int AS n FROM removed`,
      [key, userIds],
    );
    return rows[0].n;
  }

  async listSubscribers(key: string, after: string | null, limit: number): Promise<SubscriberPage> {
    const rows: Row[] = await this.db.query(
      `SELECT user_id FROM topic_subscriptions WHERE topic_key = $1 AND ($2::text IS NULL OR user_id > $2) ORDER BY user_id LIMIT $3`,
      [key, after, limit + 1],
    );
    const userIds = rows.slice(0, limit).map((r) => r.user_id as string);
    return { userIds, nextCursor: rows.length > limit ? userIds[userIds.length - 1] : null };
  }
}
