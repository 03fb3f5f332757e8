/**
 * The DynamoDB Streams row: records written to a DynamoDB Local table with a stream before the stream role
 * starts, then read by one stream process into committed notifications. Baseline (same run, same stream): a raw
 * GetRecords drain of the shard with no processing. Used by run.ts, and on its own by stream.bench.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Client } from 'pg';
import { createStreamTable, LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../src/local/dynamodb-local';
import type { HeraldProcess } from './herald-processes';
import { cpuSeconds, machineCpu, processTreeCpuSeconds } from './infra';

export interface StreamSettings {
  /** Records measured. */
  records: number;
  /** Records read first (not measured): the process runs warm, as the other rows' processes do. */
  warmup: number;
  /** STREAM_BATCH_SIZE of the stream process. */
  batchSize: number;
  baselineRounds: number;
  timeoutSeconds: number;
}

export interface StreamResult {
  records: number;
  committed: number;
  complete: boolean;
  seconds: number;
  perSecond: number;
  baseline: { perSecond: number; rounds: number[] };
  /** CPU milliseconds per record, by process, while the stream process read the measured records. */
  cpuMsPerRecord: Record<string, number>;
  /** The same for the raw drain (the bench driver reads, DynamoDB Local serves). */
  baselineCpuMsPerRecord: Record<string, number>;
  machineBusyShare: number | null;
}

/**
 * The row's stream process, DynamoDB Local and table, kept running after the measured commit (`keepRunning`), so
 * that the records it committed, and new ones, can be followed to the providers once delivery runs.
 */
export interface LiveStream {
  /** The stream's ARN: the `source` of every request the stream process committed. */
  source: string;
  /** The stream process's pid, for CPU meters. */
  pid: number | undefined;
  /** Records written so far (the next item written is this one). */
  written: number;
  /** Writes `count` more records; returns when each was written (epoch ms), by its order id (`metadata.orderId`). */
  write(count: number): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

type Measured = { name: string; pid: number | null | undefined; tree?: boolean };

const RULES = (table: string) => `
rules:
  - name: order-created
    match:
      table: ${table}
      eventName: INSERT
      when:
        - path: new.kind
          equals: order
    notify:
      recipient:
        email: new.email
        userId: new.customerId
      channels: [email]
      category: orders
      content:
        email:
          subject: "Order {{new.pk}} received"
          text: "Total {{new.total}}"
      metadata:
        orderId: new.pk
        total: new.total
`;

const item = (i: number) => ({
  pk: `o-${String(i).padStart(7, '0')}`,
  kind: 'order',
  email: `buyer${i}@example.com`,
  customerId: `c-${i}`,
  total: i * 10,
  status: 'placed',
  lines: [{ sku: `sku-${i % 97}`, qty: 1 + (i % 3), price: 1999 }],
});

function meter(processes: Measured[]) {
  const used = (p: Measured) => (p.tree ? processTreeCpuSeconds(p.pid) : cpuSeconds(p.pid)) ?? 0;
  const before = new Map(processes.map((p) => [p.name, used(p)]));
  const machineBefore = machineCpu();
  return (records: number) => {
    const machineAfter = machineCpu();
    const msPerRecord = Object.fromEntries(processes.map((p) => [p.name, Math.round(((used(p) - before.get(p.name)!) * 1000 * 1000) / records) / 1000]));
    const busy = machineBefore && machineAfter ? (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total) : null;
    return { msPerRecord, busy: busy === null ? null : Math.round(busy * 100) / 100 };
  };
}

/** Writes items `from` to `to` (exclusive); returns when each item's write was answered (epoch ms), by its key. */
async function writeItems(client: DynamoDBClient, table: string, from: number, to: number): Promise<Map<string, number>> {
  const writtenAt = new Map<string, number>();
  const chunks: number[] = [];
  for (let i = from; i < to; i += 25) chunks.push(i);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < chunks.length) {
        const start = chunks[next++];
        let pending: Record<string, Array<{ PutRequest: { Item: Record<string, AttributeValue> } }>> | undefined = {
          [table]: Array.from({ length: Math.min(25, to - start) }, (_, k) => ({ PutRequest: { Item: marshall(item(start + k)) } })),
        };
        while (pending && Object.keys(pending).length > 0) pending = (await client.send(new BatchWriteItemCommand({ RequestItems: pending }))).UnprocessedItems as typeof pending;
        const at = Date.now();
        for (let k = start; k < Math.min(start + 25, to); k++) writtenAt.set(item(k).pk, at);
      }
    }),
  );
  return writtenAt;
}

/** Every record of the stream's shards, as fast as GetRecords gives them, with no processing. Returns the sequence numbers. */
async function drain(streams: DynamoDBStreamsClient, streamArn: string, expected: number, batchSize: number): Promise<string[]> {
  const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const sequenceNumbers: string[] = [];
  for (const shard of description.StreamDescription?.Shards ?? []) {
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    let empty = 0;
    while (iterator && empty < 2 && sequenceNumbers.length < expected) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
      for (const r of page.Records ?? []) sequenceNumbers.push(r.dynamodb!.SequenceNumber!);
      empty = page.Records?.length ? 0 : empty + 1;
      iterator = page.NextShardIterator;
    }
  }
  return sequenceNumbers;
}

/**
 * Runs the row. `startStream` starts one Herald process with the stream role and the given environment (no SQS
 * setting); `postgres` is the database's server, measured as a process tree.
 */
export async function streamRow(options: {
  settings: StreamSettings;
  databaseUrl: string;
  postgresPid: number | null;
  region: string;
  startStream: (env: Record<string, string>) => Promise<HeraldProcess>;
  log: (msg: string) => void;
  /** Leave the stream process and DynamoDB Local running, and return them (stopped by `live.stop()`). */
  keepRunning?: boolean;
}): Promise<StreamResult & { live?: LiveStream }> {
  const { settings, log } = options;
  const total = settings.warmup + settings.records;
  const dynamo: DynamoDbLocal | null = await startDynamoDbLocal({ region: options.region, log: () => undefined, startTimeoutMs: 120_000 });
  if (!dynamo) throw new Error('the stream row needs DynamoDB Local (Java 17 or later)');
  const clientOptions = { region: options.region, endpoint: dynamo.endpoint, credentials: LOCAL_CREDENTIALS };
  const tables = new DynamoDBClient(clientOptions);
  const streams = new DynamoDBStreamsClient(clientOptions);
  const db = new Client({ connectionString: options.databaseUrl });
  let herald: HeraldProcess | null = null;
  let kept = false;
  const stopAll = async () => {
    await herald?.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    tables.destroy();
    streams.destroy();
    await dynamo.stop();
  };
  try {
    const table = await createStreamTable(tables, `bench-orders-${Date.now().toString(36)}`);
    log(`stream: writing ${total} items to ${table.tableName} (${settings.warmup} warm-up, ${settings.records} measured)`);
    await writeItems(tables, table.tableName, 0, total);

    // Baseline: the same stream drained with GetRecords only, after one unmeasured drain.
    log(`baseline: raw GetRecords drain of ${total} records, ${settings.baselineRounds} rounds`);
    const sequenceNumbers = await drain(streams, table.streamArn, total, settings.batchSize);
    if (sequenceNumbers.length !== total) throw new Error(`the stream holds ${sequenceNumbers.length} records, not ${total}`);
    const driver: Measured[] = [
      { name: 'bench driver', pid: process.pid },
      { name: 'DynamoDB Local', pid: dynamo.pid, tree: true },
    ];
    const timed: Array<{ perSecond: number; cpu: Record<string, number> }> = [];
    for (let round = 0; round < settings.baselineRounds; round++) {
      const m = meter(driver);
      const t0 = performance.now();
      const read = await drain(streams, table.streamArn, total, settings.batchSize);
      timed.push({ perSecond: read.length / ((performance.now() - t0) / 1000), cpu: m(read.length).msPerRecord });
    }
    const rounds = timed.map((t) => t.perSecond);
    const median = [...timed].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(timed.length / 2)];
    const baseline = median.perSecond;
    const baselineCpu = median.cpu;

    // Herald: one stream process, started after the records were written, reading from the shard's start.
    const rulesDir = mkdtempSync(join(tmpdir(), 'herald-bench-rules-'));
    writeFileSync(join(rulesDir, 'rules.yaml'), RULES(table.tableName));
    await db.connect();
    const checkpoint = async (): Promise<bigint> => {
      const { rows } = await db.query<{ checkpoint: string | null }>(`SELECT max(checkpoint::numeric)::text AS checkpoint FROM stream_shards WHERE stream_arn = $1`, [table.streamArn]).catch(() => ({ rows: [] as Array<{ checkpoint: string | null }> }));
      return BigInt(rows[0]?.checkpoint ?? '0');
    };
    const warmedAt = BigInt(sequenceNumbers[settings.warmup - 1] ?? '0');
    const lastAt = BigInt(sequenceNumbers[total - 1]);
    log(`stream: one stream process reads ${total} records`);
    herald = await options.startStream({
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      STREAM_SOURCES: table.streamArn,
      STREAM_START_POSITION: 'TRIM_HORIZON',
      EVENT_RULES_FILE: join(rulesDir, 'rules.yaml'),
      STREAM_BATCH_SIZE: String(settings.batchSize),
      STREAM_POLL_INTERVAL: '100ms',
    });
    const measured: Measured[] = [
      { name: 'herald stream', pid: herald.child.pid },
      ...(options.postgresPid ? [{ name: 'PostgreSQL', pid: options.postgresPid, tree: true }] : []),
      { name: 'DynamoDB Local', pid: dynamo.pid, tree: true },
      { name: 'bench driver', pid: process.pid },
    ];
    const deadline = Date.now() + settings.timeoutSeconds * 1000;
    const waitFor = async (sequence: bigint) => {
      while ((await checkpoint()) < sequence) {
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 20));
      }
      return true;
    };
    if (settings.warmup > 0 && !(await waitFor(warmedAt))) throw new Error(`the stream process did not commit ${settings.warmup} warm-up records in time`);
    const m = meter(measured);
    const t0 = performance.now();
    const complete = await waitFor(lastAt);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = m(settings.records);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification_requests WHERE source = $1`, [table.streamArn]);
    const committed = rows[0].n;
    if (complete && committed !== total) throw new Error(`the stream process committed ${committed} requests for ${total} records`);
    let live: LiveStream | undefined;
    if (options.keepRunning) {
      kept = true;
      live = {
        source: table.streamArn,
        pid: herald.child.pid,
        written: total,
        write: async (count) => {
          const from = live!.written;
          live!.written += count;
          return writeItems(tables, table.tableName, from, from + count);
        },
        stop: stopAll,
      };
    }
    return {
      live,
      records: settings.records,
      committed,
      complete,
      seconds: Math.round(seconds * 100) / 100,
      perSecond: settings.records / seconds,
      baseline: { perSecond: baseline, rounds: rounds.map(Math.round) },
      cpuMsPerRecord: cpu.msPerRecord,
      baselineCpuMsPerRecord: baselineCpu,
      machineBusyShare: cpu.busy,
    };
  } finally {
    if (!kept) await stopAll();
  }
}

export function formatCpu(msPerRecord: Record<string, number>): string {
  return Object.entries(msPerRecord)
    .map(([name, ms]) => `${name} ${ms.toFixed(3)}`)
    .join(', ');
}
