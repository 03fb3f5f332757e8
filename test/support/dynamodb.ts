import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createStreamTable, startDynamoDbLocal, type DynamoDbLocal, type ExampleTable } from '../../src/local/dynamodb-local';

export interface TestDynamoDb {
  local: DynamoDbLocal;
  client: DynamoDBClient;
  createTable(): Promise<ExampleTable>;
  putItems(tableName: string, items: Array<Record<string, unknown>>): Promise<void>;
  stop(): Promise<void>;
}

/** Amazon's DynamoDB Local for one test file, in memory on a free port. Java is required (the tests need it). */
export async function startTestDynamoDb(): Promise<TestDynamoDb> {
  const local = await startDynamoDbLocal({ region: process.env.AWS_REGION, log: () => undefined, startTimeoutMs: 120_000 });
  if (!local) throw new Error('DynamoDB Local needs Java 17 or later (`java -version` failed)');
  const client = new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: local.endpoint });
  return {
    local,
    client,
    createTable: () => createStreamTable(client, `t${randomBytes(4).toString('hex')}-orders`),
    putItems: async (tableName, items) => {
      for (let i = 0; i < items.length; i += 25) {
        let pending: Record<string, Array<{ PutRequest: { Item: Record<string, AttributeValue> } }>> | undefined = {
          [tableName]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } })),
        };
        while (pending && Object.keys(pending).length > 0) {
          const result = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
          pending = result.UnprocessedItems as typeof pending;
        }
      }
    },
    stop: async () => {
      client.destroy();
      await local.stop();
    },
  };
}

/** Writes a rules file (YAML) for a test and returns its path. */
export function writeRules(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-rules-'));
  const path = join(dir, 'rules.yaml');
  writeFileSync(path, yaml);
  return path;
}

export function orderRules(table: string): string {
  return `
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
  - name: order-shipped
    match:
      table: ${table}
      eventName: MODIFY
      when:
        - changed: status
          from: placed
          to: shipped
    notify:
      recipient:
        email: new.email
      channels: [email]
      category: orders
      content:
        email:
          subject: "Order {{new.pk}} shipped"
          text: "On its way"
      metadata:
        orderId: new.pk
`;
}

export function order(i: number): Record<string, unknown> {
  return { pk: `o-${String(i).padStart(4, '0')}`, kind: 'order', email: `buyer${i}@example.com`, customerId: `c-${i}`, total: i * 10, status: 'placed' };
}
