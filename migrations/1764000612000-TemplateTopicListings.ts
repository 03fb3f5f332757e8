import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The listings of `GET /v1/templates`, `GET /v1/topics` and `GET /v1/fanouts?topic=` (docs/performance.md
 * "Template, topic and fan-out listings").
 * - Templates and topics are listed in byte order of the key (`COLLATE "C"`), whatever the database's collation:
 *   the primary keys use the database's, in which a key prefix is not a range (`en_US` orders "a-b" between "ab" and
 *   "ac"), so a prefix search could not use them. `templates_key_bytes` makes the prefix a range scan and a page a
 *   keyset scan; `topics_key_bytes` gives topics the same order.
 * - A topic's fan-outs newest first: `(topic_key, created_at, id)` makes a page a backward range scan from the
 *   cursor. It replaces `topic_fanouts_topic (topic_key)` (migration ActivityFeed), whose look-ups by topic it serves
 *   as well. None of these columns is ever updated, so the batch updates of a running fan-out stay as they were.
 * - `IF NOT EXISTS`: on a large table, build them beforehand with CREATE INDEX CONCURRENTLY (docs/performance.md).
 */
export class TemplateTopicListings1764000612000 implements MigrationInterface {
  name = 'TemplateTopicListings1764000612000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS templates_key_bytes ON templates (key COLLATE "C")`);
    await q.query(`CREATE INDEX IF NOT EXISTS topics_key_bytes ON topics (key COLLATE "C")`);
    await q.query(`CREATE INDEX IF NOT EXISTS topic_fanouts_recent ON topic_fanouts (topic_key, created_at, id)`);
    await q.query(`DROP INDEX IF EXISTS topic_fanouts_topic`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS topic_fanouts_topic ON topic_fanouts (topic_key)`);
    await q.query(`DROP INDEX topic_fanouts_recent`);
    await q.query(`DROP INDEX topics_key_bytes`);
    await q.query(`DROP INDEX templates_key_bytes`);
  }
}
