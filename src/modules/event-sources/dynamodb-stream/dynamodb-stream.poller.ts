import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ShardLeaseLostError } from '../../../domain/errors/domain-errors';
import { ShardLeases, type LeasedShard } from '../../../domain/ports/shard-leases.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { DynamoDbStreamReader, type IteratorPosition } from '../../../infrastructure/dynamodb-streams/dynamodb-stream.reader';
import { StreamActivity } from '../../../infrastructure/dynamodb-streams/stream-activity';
import { readStreamRecord, type RawStreamRecord, type ReadStreamRecord } from '../../../infrastructure/dynamodb-streams/stream-record';
import { PollingLoop } from '../../../infrastructure/runtime/polling-loop';
import { IngestEvents, type PreparedEvents } from '../application/ingest-events.use-case';
import { ShardPages } from './shard-pages';
import { incomingOf } from './stream-record-event';

interface ReadPage {
  records: ReadStreamRecord[];
  /** The records through the rules and the checks, ready to commit with the checkpoint; null for an empty page of an open shard. */
  batch: PreparedEvents | null;
  /** Null once a closed shard is read to its end. */
  nextIterator: string | null;
}

interface ShardWorker {
  shard: LeasedShard;
  stop: boolean;
  done: Promise<void>;
  /** The last sequence number committed by this process (or the checkpoint it took the shard at). */
  checkpoint: string | null;
}

/**
 * The stream role: reads DynamoDB Streams without a Lambda. Shards are leased in Postgres so that several
 * processes share them; each held shard is read by its own loop, in order, and every batch's notifications
 * commit together with the shard's checkpoint (its workflow triggers just before). A restart, a takeover or a replay
 * resumes after the checkpoint, and the idempotency keys (stream ARN + eventID) make a record read twice create
 * nothing new and start no second run.
 */
@Injectable()
export class DynamoDbStreamPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DynamoDbStreams');
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly workers = new Map<string, ShardWorker>();
  private running = false;
  private readonly loop = new PollingLoop({
    pass: () => this.pass(),
    onError: (err) => {
      this.logger.error(`stream poller pass failed: ${err.message}`);
      return this.passInterval();
    },
  });
  private streamArns: string[] = [];
  private lastListing = 0;

  constructor(
    private readonly config: HeraldConfig,
    private readonly reader: DynamoDbStreamReader,
    private readonly leases: ShardLeases,
    private readonly ingestEvents: IngestEvents,
    private readonly activity: StreamActivity,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.streams.sources.length === 0) {
      this.logger.log('stream role: STREAM_SOURCES is not set, so no DynamoDB stream is read');
      return;
    }
    this.running = true;
    this.activity.polling = true;
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.loop.stop();
    const held = [...this.workers.values()];
    for (const worker of held) worker.stop = true;
    await Promise.all(held.map((w) => w.done));
    this.activity.polling = false;
    // Hand the shards over now rather than after the lease expires.
    try {
      await this.leases.release(this.owner);
      for (const w of held) this.logger.log({ msg: 'shard lease released at shutdown', ...this.fieldsOf(w.shard, w.checkpoint), owner: this.owner });
    } catch (err) {
      this.logger.warn(`releasing shard leases failed: ${(err as Error).message}`);
    }
  }

  /** Lists shards now and then, renews leases (the heartbeat), takes free shards and starts or stops shard loops. */
  private async pass(): Promise<number> {
    if (Date.now() - this.lastListing >= this.config.streams.relistIntervalMs) await this.relist();
    const held = await this.leases.acquire(this.owner, this.streamArns, this.config.streams.leaseMs);
    const keys = new Set(held.map(keyOf));
    for (const [key, worker] of this.workers) {
      if (keys.has(key) || worker.stop) continue;
      // Its lease went to the fair share of another process (or expired): that process goes on from the checkpoint.
      worker.stop = true;
      this.logger.log({ msg: 'shard handed over', ...this.fieldsOf(worker.shard, worker.checkpoint), owner: this.owner });
    }
    for (const shard of held) if (!this.workers.has(keyOf(shard))) this.start(shard);
    return this.passInterval();
  }

  private passInterval(): number {
    const { leaseMs, relistIntervalMs } = this.config.streams;
    return Math.min(leaseMs / 3, relistIntervalMs);
  }

  /**
   * Resolves the sources again (a table's stream is replaced when streams are disabled and enabled again; the old
   * one stays readable for 24 hours) and records the shards of every stream. One failing stream does not stop the others.
   */
  private async relist(): Promise<void> {
    const resolved: string[] = [];
    for (const source of this.config.streams.sources) {
      try {
        resolved.push(await this.reader.resolveStreamArn(source));
      } catch (err) {
        this.logger.error(`stream source ${source} cannot be resolved: ${(err as Error).message}`);
      }
    }
    const added = resolved.filter((arn) => !this.streamArns.includes(arn));
    if (added.length) this.logger.log(`reading ${added.join(', ')} as ${this.owner}`);
    const kept: string[] = [];
    for (const arn of [...new Set([...this.streamArns, ...resolved])]) {
      try {
        await this.leases.register(arn, await this.reader.listShards(arn));
        kept.push(arn);
      } catch (err) {
        // A replaced stream disappears once its records have expired.
        if ((err as Error).name === 'ResourceNotFoundException' && !resolved.includes(arn)) this.logger.log(`stream ${arn} no longer exists; it is no longer read`);
        else {
          kept.push(arn);
          this.logger.error(`shards of ${arn} cannot be listed: ${(err as Error).message}`);
        }
      }
    }
    this.streamArns = kept;
    // A source that could not be resolved is tried again on the next pass rather than after the interval.
    if (resolved.length === this.config.streams.sources.length) this.lastListing = Date.now();
  }

  private start(shard: LeasedShard): void {
    const worker: ShardWorker = { shard, stop: false, done: Promise.resolve(), checkpoint: shard.checkpoint };
    this.logger.log({ msg: 'shard lease taken', ...this.fieldsOf(shard, shard.checkpoint), owner: this.owner });
    this.workers.set(keyOf(shard), worker);
    worker.done = this.readShard(worker)
      .catch((err: Error) => this.logger.error(`shard ${shard.shardId} stopped: ${err.message}`))
      .finally(() => {
        this.workers.delete(keyOf(shard));
        this.activity.released(shard.streamArn, shard.shardId);
      });
  }

  private async readShard(worker: ShardWorker): Promise<void> {
    const { streamArn, shardId } = worker.shard;
    const wanted = () => this.running && !worker.stop;
    let checkpoint = worker.shard.checkpoint;
    if (checkpoint) this.logger.log({ msg: 'shard resumed after its checkpoint', ...this.fieldsOf(worker.shard, checkpoint) });
    else this.logger.log({ msg: 'shard read from its start', ...this.fieldsOf(worker.shard, null), position: this.startOf(worker.shard) });
    let iterator = await this.iteratorAt(worker.shard, checkpoint);
    let failures = 0;
    // The pages after the one committing, read, mapped and put through the rules while it commits. They are used only
    // when the batches before them committed: batches still commit one after another, in shard order, each with its checkpoint.
    let pages: ShardPages<RawStreamRecord, ReadPage> | null = null;
    const dropPages = () => {
      pages?.drop();
      pages = null;
    };
    try {
      while (wanted()) {
        if (pages === null) {
          iterator ??= await this.iteratorAt(worker.shard, checkpoint);
          if (iterator === null) return;
          pages = this.pagesFrom(worker.shard, iterator, wanted);
          iterator = null;
        }
        let page: ReadPage;
        try {
          page = await pages.take();
        } catch (err) {
          dropPages();
          const name = (err as Error).name;
          if (name === 'ExpiredIteratorException') {
            checkpoint = await this.leases.checkpointOf(streamArn, shardId);
            iterator = await this.iteratorAt(worker.shard, checkpoint);
            continue;
          }
          if (name === 'TrimmedDataAccessException') {
            // Records after the checkpoint are gone (older than 24 hours): say so loudly, then go on from the oldest kept.
            this.trimmed(worker.shard, checkpoint, err as Error);
            iterator = await this.reader.iterator(streamArn, shardId, { type: 'TRIM_HORIZON' });
            continue;
          }
          if (name === 'ResourceNotFoundException') {
            this.logger.warn(`shard ${shardId} of ${streamArn} no longer exists: ${(err as Error).message}`);
            return;
          }
          failures++;
          this.logger.error(`reading shard ${shardId} failed (${name}): ${(err as Error).message}`);
          await this.pause(failures, wanted);
          continue;
        }
        const ended = page.nextIterator === null;
        const { records } = page;
        if (page.batch) {
          const last = page.batch.input.checkpoint!.sequenceNumber;
          try {
            const result = await this.ingestEvents.commit(page.batch);
            this.activity.counted(result.counts);
            failures = 0;
            checkpoint = last ?? checkpoint;
            worker.checkpoint = checkpoint;
          } catch (err) {
            // The pages read ahead follow a batch that did not commit: they are dropped, and reading resumes after the checkpoint.
            dropPages();
            if (err instanceof ShardLeaseLostError) {
              this.logger.warn(`${err.message}; this process stops reading it`);
              return;
            }
            failures++;
            this.logger.error(`batch of ${records.length} records from shard ${shardId} not stored: ${(err as Error).message}`);
            await this.pause(failures, wanted);
            continue;
          }
          this.activity.read(streamArn, shardId, newestOf(records));
        } else {
          this.activity.read(streamArn, shardId, null);
        }
        if (ended) {
          this.logger.log(`shard ${shardId} of ${streamArn} is closed and read to its end`);
          this.lastListing = 0;
          this.loop.wake();
          return;
        }
        if (records.length === 0) {
          await this.pause(0, wanted);
          pages.resume();
        }
      }
    } finally {
      dropPages();
    }
  }

  /** The shard's pages from `iterator`, each read, then its records mapped and put through the rules and the checks (nothing stored yet). */
  private pagesFrom(shard: LeasedShard, iterator: string, wanted: () => boolean): ShardPages<RawStreamRecord, ReadPage> {
    const { streamArn, shardId } = shard;
    return new ShardPages<RawStreamRecord, ReadPage>(
      iterator,
      this.config.streams.readAheadPages,
      (at) => this.reader.read(at, this.config.streams.batchSize, wanted),
      (page) => {
        const records = page.records.map((r) => readStreamRecord(r, streamArn));
        const last = records.length ? records[records.length - 1].sequenceNumber : null;
        const ended = page.nextIterator === null;
        const batch =
          records.length > 0 || ended
            ? this.ingestEvents.prepare({ source: streamArn, events: records.map(incomingOf), checkpoint: { streamArn, shardId, owner: this.owner, sequenceNumber: last, ended } })
            : null;
        return { records, batch, nextIterator: page.nextIterator };
      },
    );
  }

  /**
   * After the checkpoint; a shard never read starts at the configured position, unless its parent was read here.
   * A checkpoint older than the stream's retention raises the alarm and reading goes on from the oldest record kept.
   */
  private async iteratorAt(shard: LeasedShard, checkpoint: string | null): Promise<string | null> {
    const position: IteratorPosition = checkpoint ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint } : { type: this.startOf(shard) };
    try {
      return await this.reader.iterator(shard.streamArn, shard.shardId, position);
    } catch (err) {
      if ((err as Error).name !== 'TrimmedDataAccessException') throw err;
      this.trimmed(shard, checkpoint, err as Error);
      return this.reader.iterator(shard.streamArn, shard.shardId, { type: 'TRIM_HORIZON' });
    }
  }

  private startOf(shard: LeasedShard): 'TRIM_HORIZON' | 'LATEST' {
    return shard.parentKnown ? 'TRIM_HORIZON' : this.config.streams.startPosition;
  }

  /** The fields of every line about a shard. */
  private fieldsOf(shard: { streamArn: string; shardId: string }, sequenceNumber: string | null): { stream: string; shardId: string; sequenceNumber: string | null } {
    return { stream: shard.streamArn, shardId: shard.shardId, sequenceNumber };
  }

  private trimmed(shard: LeasedShard, checkpoint: string | null, err: Error): void {
    this.activity.alarm(shard.streamArn, shard.shardId, `records after ${checkpoint ?? 'the start'} were trimmed before they were read (${err.message})`);
  }

  private async pause(failures: number, wanted: () => boolean): Promise<void> {
    const ms = failures ? Math.min(30_000, 500 * 2 ** (failures - 1)) : this.config.streams.pollIntervalMs;
    const until = Date.now() + ms;
    while (wanted() && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
  }
}

function newestOf(records: ReadStreamRecord[]): Date | null {
  let newest: Date | null = null;
  for (const r of records) if (r.createdAt && (!newest || r.createdAt > newest)) newest = r.createdAt;
  return newest;
}

function keyOf(shard: { streamArn: string; shardId: string }): string {
  return `${shard.streamArn}#${shard.shardId}`;
}
