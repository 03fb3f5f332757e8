import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { newId } from '../../domain/notification/ids';
import type { NewTemplateVersion, TemplateVersion } from '../../domain/templates/template';
import type { AuditOf } from '../../domain/ports/audit-log.port';
import { TemplateStore, type LatestTemplatePage, type TemplatePublication } from '../../domain/ports/template-store.port';
import { writeAuditEntry } from './audit-log.typeorm-repository';

type Row = Record<string, any>;

function toVersion(r: Row): TemplateVersion {
  return {
    id: r.id,
    key: r.template_key,
    version: r.version,
    description: r.description,
    defaultLocale: r.default_locale,
    variables: r.variables,
    locales: r.locales,
    createdAt: r.created_at,
  };
}

/**
 * One page of the template listing. Keys are compared in byte order (`COLLATE "C"`, index `templates_key_bytes`)
 * whatever the database's collation, so that a key prefix is a range of that index: every key starting with
 * `prefix` lies in [prefix, prefix + "~"), "~" sorting after every character a key may hold.
 */
export function templateListQuery(query: { prefix: string | null; after: string | null; limit: number }): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = (value: unknown) => (params.push(value), `$${params.length}`);
  const where: string[] = [];
  if (query.prefix !== null) where.push(`t.key COLLATE "C" >= ${bind(query.prefix)} AND t.key COLLATE "C" < ${bind(`${query.prefix}~`)}`);
  if (query.after !== null) where.push(`t.key COLLATE "C" > ${bind(query.after)}`);
  const sql = `SELECT v.*, t.updated_at AS template_updated_at
               FROM templates t JOIN template_versions v ON v.template_key = t.key AND v.version = t.latest_version
               ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
               ORDER BY t.key COLLATE "C" LIMIT ${bind(query.limit + 1)}`;
  return { sql, params };
}

@Injectable()
export class TemplateStoreTypeormRepository extends TemplateStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  publish(draft: NewTemplateVersion, audit?: AuditOf<TemplatePublication>): Promise<TemplateVersion> {
    return this.db.transaction(async (tx) => {
      // The upsert takes the template row's lock, so concurrent publishes get consecutive numbers.
      const rows: Row[] = await tx.query(
        `WITH t AS (
           INSERT INTO templates (key, latest_version) VALUES ($2, 1)
           ON CONFLICT (key) DO UPDATE SET latest_version = templates.latest_version + 1, updated_at = now()
           RETURNING latest_version
         )
         INSERT INTO template_versions (id, template_key, version, description, default_locale, variables, locales)
         SELECT $1, $2, t.latest_version, $3, $4, $5::text[], $6::jsonb FROM t
         RETURNING *`,
        [newId(), draft.key, draft.description, draft.defaultLocale, draft.variables, JSON.stringify(draft.locales)],
      );
      const published = toVersion(rows[0]);
      if (audit) {
        // Under the template row's lock: the version before this one is the one this publish replaced.
        const previous: Row[] = await tx.query(`SELECT * FROM template_versions WHERE template_key = $1 AND version = $2`, [draft.key, published.version - 1]);
        const entry = audit({ previous: previous[0] ? toVersion(previous[0]) : null, published });
        if (entry) await writeAuditEntry(tx, entry);
      }
      return published;
    });
  }

  async find(key: string, version?: number): Promise<TemplateVersion | null> {
    const rows: Row[] =
      version === undefined
        ? await this.db.query(
            `SELECT v.* FROM template_versions v JOIN templates t ON t.key = v.template_key AND t.latest_version = v.version WHERE t.key = $1`,
            [key],
          )
        : await this.db.query(`SELECT * FROM template_versions WHERE template_key = $1 AND version = $2`, [key, version]);
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async listLatest(query: { prefix: string | null; after: string | null; limit: number }): Promise<LatestTemplatePage> {
    const { sql, params } = templateListQuery(query);
    const rows: Row[] = await this.db.query(sql, params);
    const items = rows.slice(0, query.limit).map((r) => ({ latest: toVersion(r), updatedAt: r.template_updated_at as Date }));
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].latest.key : null };
  }
}
