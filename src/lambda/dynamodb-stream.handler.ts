import 'reflect-metadata';
import { Logger, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ConfigModule } from '../infrastructure/config/config.module';
import type { HeraldConfig } from '../infrastructure/config/herald-config';
import { loadConfigWithSecrets } from '../infrastructure/config/load-config-with-secrets';
import { readStreamRecord, type RawStreamRecord } from '../infrastructure/dynamodb-streams/stream-record';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { DatabaseModule } from '../infrastructure/typeorm/database.module';
import { IngestEvents } from '../modules/event-sources/application/ingest-events.use-case';
import { incomingOf } from '../modules/event-sources/dynamodb-stream/stream-record-event';
import { EventSourcesModule } from '../modules/event-sources/event-sources.module';

/** Only what turning records into notifications needs: config, the database and the event-sources use cases. */
@Module({})
class StreamLambdaModule {
  static forConfig(config: HeraldConfig): DynamicModule {
    return {
      module: StreamLambdaModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        EventSourcesModule,
      ],
    };
  }
}

export interface DynamoDbStreamHandler {
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  close: () => Promise<void>;
}

/**
 * For teams that prefer an AWS event source mapping to the stream role: the same rules and the same use case.
 * Wire it with `FunctionResponseTypes: ["ReportBatchItemFailures"]`: a batch is stored in one transaction; if
 * that fails, records are stored one by one, in order, and the first that cannot be stored is reported, so
 * Lambda retries from it (records before it are stored, and idempotency keys make the retry create nothing twice).
 * Records that match a rule but are invalid are recorded as rejected events and do not fail the batch.
 */
export function createDynamoDbStreamHandler(env: Record<string, string | undefined> = process.env): DynamoDbStreamHandler {
  let context: Promise<INestApplicationContext> | null = null;
  const boot = async (): Promise<INestApplicationContext> => {
    // Only the stream role's settings apply here (no SMTP, no queues), whatever HERALD_ROLES says.
    // Secret references (ssm:, secretsmanager:) are read at the cold start, like a process's.
    const config = await loadConfigWithSecrets({ ...env, HERALD_ROLES: 'stream' });
    if (config.eventRules.rules.length === 0) throw new Error('EVENT_RULES_FILE must name a rules file with at least one rule');
    const app = await NestFactory.createApplicationContext(StreamLambdaModule.forConfig(config), { logger: new JsonLogger(config.log.level), abortOnError: false });
    return app.init();
  };

  const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    context ??= boot().catch((err: unknown) => {
      context = null;
      throw err;
    });
    const ingest = (await context).get(IngestEvents);
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    // A batch comes from one stream; grouping keeps the code right if a test or a replay mixes them.
    for (const [streamArn, records] of groupByStream(event.Records)) {
      const read = records.map((r) => readStreamRecord(r as RawStreamRecord, streamArn));
      try {
        await ingest.execute({ source: streamArn, events: read.map(incomingOf) });
        continue;
      } catch {
        // Find the first record that cannot be stored.
      }
      for (let i = 0; i < read.length; i++) {
        try {
          await ingest.execute({ source: streamArn, events: [incomingOf(read[i])] });
        } catch (err) {
          new Logger('DynamoDbStreamHandler').warn(`record ${read[i].id} of ${streamArn} not stored: ${(err as Error).message}`);
          batchItemFailures.push({ itemIdentifier: records[i].dynamodb?.SequenceNumber ?? read[i].id });
          break;
        }
      }
    }
    return { batchItemFailures };
  };

  return {
    handler,
    close: async () => {
      const app = await context?.catch(() => null);
      await app?.close();
      context = null;
    },
  };
}

function groupByStream(records: DynamoDBRecord[]): Map<string, DynamoDBRecord[]> {
  const groups = new Map<string, DynamoDBRecord[]>();
  for (const record of records) {
    const arn = record.eventSourceARN ?? 'unknown';
    groups.set(arn, [...(groups.get(arn) ?? []), record]);
  }
  return groups;
}

/** The Lambda entry point (`dist/src/lambda/dynamodb-stream.handler.handler`); boots once per container. */
export const handler = createDynamoDbStreamHandler().handler;
