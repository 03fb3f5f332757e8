import { exampleCommand, startExampleDynamoDb } from '../../src/local/dynamodb-local';
import { eventually, startHerald, type Herald } from '../support/herald-harness';

jest.setTimeout(240_000);

let example: Awaited<ReturnType<typeof startExampleDynamoDb>>;
let herald: Herald;

beforeAll(async () => {
  example = await startExampleDynamoDb(process.env.AWS_REGION!, () => undefined);
  if (!example) throw new Error('DynamoDB Local needs Java 17 or later');
  herald = await startHerald({ HERALD_ROLES: 'stream,relay,worker:email', ...example.env, STREAM_POLL_INTERVAL: '100ms' });
}, 180_000);

afterAll(async () => {
  await herald?.stop();
  await example?.local.stop();
});

/** Runs the printed curl command with fetch: the same URL, headers and body. */
async function runPrinted(command: string): Promise<void> {
  const url = /curl -s -X POST (\S+)/.exec(command)![1];
  const headers = Object.fromEntries([...command.matchAll(/-H "([^:]+): ([^"]+)"/g)].map((m) => [m[1], m[2]]));
  const body = /-d '(.+)'$/.exec(command)![1];
  const response = await fetch(url, { method: 'POST', headers, body });
  expect(response.status).toBe(200);
}

describe('local mode: the example table and rules', () => {
  it('turns the printed put-item command into an email', async () => {
    await runPrinted(exampleCommand(example!.local.endpoint));
    const mail = await eventually(() => herald.smtp.accepted[0], 60_000, 'the example email');
    expect(mail.to).toEqual(['ada@example.com']);
    expect(mail.subject).toBe('Order order-1 received');
    // "orders" is not a critical category, so the text ends with its unsubscribe link after the "--" separator.
    const [body, footer] = mail.text.split('\n--\n');
    expect(body.trim()).toBe('Hello Ada, we received your order order-1 (42 EUR).');
    expect(footer).toMatch(/^Unsubscribe: http\S+\/v1\/unsubscribe\?token=\S+/);
  });
});
