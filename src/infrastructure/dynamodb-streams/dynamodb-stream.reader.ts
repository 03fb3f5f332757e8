import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { StreamShard } from '../../domain/ports/shard-leases.port';
import { HeraldConfig } from '../config/herald-config';
import type { RawStreamRecord } from './stream-record';

const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'LimitExceededException', 'RequestLimitExceeded']);
const MAX_BACKOFF_MS = 10_000;

export type IteratorPosition = { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string } | { type: 'TRIM_HORIZON' | 'LATEST' };

export interface RecordPage {
  /** As the wire gives them (the form Lambda gives too): images as attribute values, binary as base64, times as epoch seconds. */
  records: RawStreamRecord[];
  /** Null once a closed shard is read to its end. */
  nextIterator: string | null;
}

/** Reading DynamoDB Streams: stream discovery, shard listing, iterators and records, with backoff on throttling. */
@Injectable()
export class DynamoDbStreamReader implements OnApplicationShutdown {
  private readonly logger = new Logger('DynamoDbStreams');
  private readonly streams: DynamoDBStreamsClient;
  private readonly tables: DynamoDBClient;

  constructor(config: HeraldConfig) {
    const options = { region: config.aws.region, ...(config.streams.dynamodbEndpoint ? { endpoint: config.streams.dynamodbEndpoint } : {}) };
    this.streams = new DynamoDBStreamsClient(options);
    // No SDK logger is configured, yet the SDK's logger step walks every response to mask it for that no-op
    // logger: a deep copy of each GetRecords page (about 4% of the stream role's CPU). Errors still surface.
    this.streams.middlewareStack.remove('loggerMiddleware');
    readGetRecordsAsPlainJson(this.streams);
    this.tables = new DynamoDBClient(options);
  }

  /** A stream ARN as is; a table name becomes the ARN of the table's current stream. */
  async resolveStreamArn(source: string): Promise<string> {
    if (source.startsWith('arn:')) return source;
    const table = await this.tables.send(new DescribeTableCommand({ TableName: source }));
    const arn = table.Table?.LatestStreamArn;
    if (!arn || !table.Table?.StreamSpecification?.StreamEnabled) throw new Error(`table ${source} has no enabled stream`);
    return arn;
  }

  /** Every shard of the stream: DescribeStream pages through them 100 at a time. */
  async listShards(streamArn: string): Promise<StreamShard[]> {
    const shards: StreamShard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await this.withBackoff(() =>
        this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId })),
      );
      for (const shard of page.StreamDescription?.Shards ?? []) {
        if (shard.ShardId) shards.push({ shardId: shard.ShardId, parentShardId: shard.ParentShardId ?? null });
      }
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  async iterator(streamArn: string, shardId: string, position: IteratorPosition): Promise<string | null> {
    const result = await this.withBackoff(() =>
      this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: position.type,
          ...(position.type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: position.sequenceNumber } : {}),
        }),
      ),
    );
    return result.ShardIterator ?? null;
  }

  /** Up to `limit` records (GetRecords also stops at 1 MB). Expired iterators and trimmed data surface as errors by name. */
  async read(iterator: string, limit: number, stillWanted: () => boolean = () => true): Promise<RecordPage> {
    const result = await this.withBackoff(() => this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit })), stillWanted);
    // GetRecords output is the page's JSON as sent (readGetRecordsAsPlainJson), not the SDK's typed shapes.
    const page = result as unknown as { Records?: RawStreamRecord[]; NextShardIterator?: string | null };
    return { records: page.Records ?? [], nextIterator: page.NextShardIterator ?? null };
  }

  onApplicationShutdown(): void {
    this.streams.destroy();
    this.tables.destroy();
  }

  private async withBackoff<T>(call: () => Promise<T>, stillWanted: () => boolean = () => true): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (!THROTTLED.has((err as Error).name) || !stillWanted()) throw err;
        const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
        if (attempt >= 3) this.logger.warn(`DynamoDB Streams throttled (${(err as Error).name}); retrying in ${Math.round(delay)}ms`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

/** The part of the SDK client's protocol (awsJson1_0) that turns an HTTP response into a command's output. */
interface ResponseProtocol {
  deserializeResponse(operation: { name: string }, context: { streamCollector: (body: unknown) => Promise<Uint8Array> }, response: { statusCode: number; body: unknown }): Promise<unknown>;
}

/**
 * A successful GetRecords response becomes its JSON as sent, with none of the SDK's schema-driven reading (each
 * attribute value read as a union member, binary decoded, times made dates): most of the stream role's SDK cost,
 * for records that are then unmarshalled from that very form (as Lambda gives them). Everything else stays the
 * SDK's: signing and retries (which wrap this step), every other command, and every error response, which the SDK
 * still turns into its named exceptions (ExpiredIteratorException, TrimmedDataAccessException, throttling).
 */
export function readGetRecordsAsPlainJson(client: DynamoDBStreamsClient): void {
  const protocol = client.config.protocol as unknown as Partial<ResponseProtocol> | undefined;
  if (typeof protocol?.deserializeResponse !== 'function') {
    // Fails at start-up, not on the first page: the SDK installed is not the one package-lock.json names.
    throw new Error(
      'The installed @aws-sdk/client-dynamodb-streams has no protocol step deserializeResponse, through which the stream role reads GetRecords pages; install the version package-lock.json names (npm ci)',
    );
  }
  const deserialize = protocol.deserializeResponse.bind(protocol) as ResponseProtocol['deserializeResponse'];
  protocol.deserializeResponse = async (operation, context, response) => {
    if (operation.name !== 'GetRecords' || response.statusCode < 200 || response.statusCode >= 300) return deserialize(operation, context, response);
    const bytes = await context.streamCollector(response.body);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const output = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    output.$metadata = { httpStatusCode: response.statusCode };
    return output;
  };
}
