import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stream record as DynamoDB Streams returns it (JSON protocol: dates are epoch seconds). */
export interface FakeRecord {
  sequenceNumber: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  newImage: Record<string, unknown>;
}

export interface FakeShard {
  shardId: string;
  parentShardId?: string;
  records: FakeRecord[];
  /** A closed shard ends: its last page has no NextShardIterator. */
  closed: boolean;
  /** Records at or below this sequence number were trimmed: asking for them is a TrimmedDataAccessException. */
  trimmedThrough?: string;
}

interface Iterator {
  arn: string;
  shardId: string;
  position: number;
}

export interface FakeCall {
  target: string;
  shardId?: string;
  type?: string;
  error?: string;
  records?: number;
  ended?: boolean;
}

/**
 * A local peer speaking the DynamoDB Streams API (awsJson1_0 requests, `__type` errors), for the situations
 * DynamoDB Local cannot produce: several pages of shards, closed parents with children, throttling, expired
 * iterators and trimmed data.
 */
export class FakeDynamoDbStreams {
  readonly calls: FakeCall[] = [];
  /** GetRecords calls still to be answered with ProvisionedThroughputExceededException. */
  throttleNext = 0;
  /** Shards whose second GetRecords call gets ExpiredIteratorException (once). */
  readonly expireSecondRead = new Set<string>();
  private readonly reads = new Map<string, number>();
  private server: Server | null = null;
  endpoint = '';

  constructor(
    readonly streamArn: string,
    readonly shards: FakeShard[],
    private readonly pageSize = 1,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
    const target = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fake' });
      res.end(JSON.stringify(payload));
    };
    const fail = (call: FakeCall, type: string, message: string) => {
      this.calls.push({ ...call, error: type });
      reply(400, { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
    };
    switch (target) {
      case 'DescribeStream': {
        const start = body.ExclusiveStartShardId ? this.shards.findIndex((s) => s.shardId === body.ExclusiveStartShardId) + 1 : 0;
        const page = this.shards.slice(start, start + this.pageSize);
        const more = start + this.pageSize < this.shards.length;
        this.calls.push({ target });
        reply(200, {
          StreamDescription: {
            StreamArn: this.streamArn,
            StreamStatus: 'ENABLED',
            StreamViewType: 'NEW_AND_OLD_IMAGES',
            Shards: page.map((s) => ({
              ShardId: s.shardId,
              ...(s.parentShardId ? { ParentShardId: s.parentShardId } : {}),
              SequenceNumberRange: { StartingSequenceNumber: s.records[0]?.sequenceNumber ?? '0', ...(s.closed ? { EndingSequenceNumber: s.records.at(-1)?.sequenceNumber ?? '0' } : {}) },
            })),
            ...(more ? { LastEvaluatedShardId: page[page.length - 1].shardId } : {}),
          },
        });
        return;
      }
      case 'GetShardIterator': {
        const shard = this.shards.find((s) => s.shardId === body.ShardId)!;
        const type = String(body.ShardIteratorType);
        const call: FakeCall = { target, shardId: shard.shardId, type };
        const kept = shard.records.filter((r) => !shard.trimmedThrough || BigInt(r.sequenceNumber) > BigInt(shard.trimmedThrough));
        let position = shard.records.length - kept.length;
        if (type === 'LATEST') position = shard.records.length;
        if (type === 'AFTER_SEQUENCE_NUMBER') {
          const after = BigInt(String(body.SequenceNumber));
          if (shard.trimmedThrough && after < BigInt(shard.trimmedThrough)) {
            fail(call, 'TrimmedDataAccessException', 'The operation attempted to read past the oldest stream record in a shard.');
            return;
          }
          position = shard.records.findIndex((r) => BigInt(r.sequenceNumber) > after);
          if (position < 0) position = shard.records.length;
        }
        this.calls.push(call);
        reply(200, { ShardIterator: encode({ arn: this.streamArn, shardId: shard.shardId, position }) });
        return;
      }
      case 'GetRecords': {
        const iterator = decode(String(body.ShardIterator));
        const shard = this.shards.find((s) => s.shardId === iterator.shardId)!;
        const call: FakeCall = { target, shardId: shard.shardId };
        if (this.throttleNext > 0) {
          this.throttleNext--;
          fail(call, 'ProvisionedThroughputExceededException', 'Rate exceeded for shard');
          return;
        }
        const reads = (this.reads.get(shard.shardId) ?? 0) + 1;
        this.reads.set(shard.shardId, reads);
        if (reads === 2 && this.expireSecondRead.delete(shard.shardId)) {
          fail(call, 'ExpiredIteratorException', 'Iterator expired. The iterator was created at time ... while right now it is ...');
          return;
        }
        const limit = Number(body.Limit ?? 1000);
        const records = shard.records.slice(iterator.position, iterator.position + limit);
        const next = iterator.position + records.length;
        const ended = shard.closed && next >= shard.records.length;
        this.calls.push({ ...call, records: records.length, ended });
        reply(200, {
          Records: records.map((r) => ({
            eventID: `ev-${shard.shardId}-${r.sequenceNumber}`,
            eventName: r.eventName,
            eventVersion: '1.1',
            eventSource: 'aws:dynamodb',
            awsRegion: 'us-east-1',
            eventSourceARN: this.streamArn,
            dynamodb: {
              ApproximateCreationDateTime: Math.floor(Date.now() / 1000) - 5,
              Keys: { pk: r.newImage.pk },
              NewImage: r.newImage,
              SequenceNumber: r.sequenceNumber,
              SizeBytes: 100,
              StreamViewType: 'NEW_AND_OLD_IMAGES',
            },
          })),
          ...(ended ? {} : { NextShardIterator: encode({ ...iterator, position: next }) }),
        });
        return;
      }
      default:
        reply(400, { __type: 'com.amazon.coral.service#UnknownOperationException', message: `unknown operation ${target}` });
    }
  }
}

const encode = (it: Iterator) => Buffer.from(JSON.stringify(it)).toString('base64');
const decode = (text: string) => JSON.parse(Buffer.from(text, 'base64').toString()) as Iterator;
