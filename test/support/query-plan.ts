import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrationsLocked } from '../../src/infrastructure/typeorm/data-source';
import { createTestDatabase } from './test-database';

export interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  'Scan Direction'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** A migrated test database and a client on it, for reading query plans; `close` drops it. */
export async function startPlanDatabase(): Promise<{ client: Client; close: () => Promise<void> }> {
  const db = await createTestDatabase();
  const source: DataSource = await createDataSource(db.url, 1).initialize();
  await runMigrationsLocked(source);
  const client = new Client({ connectionString: db.url });
  await client.connect();
  return {
    client,
    close: async () => {
      await client.end();
      await source.destroy();
      await db.drop();
    },
  };
}

/** Every node of the plan Postgres chooses for `sql`. */
export async function planNodes(client: Client, sql: string, params: unknown[]): Promise<PlanNode[]> {
  const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  return nodesOf((rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan);
}
