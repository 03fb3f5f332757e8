import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { readGetRecordsAsPlainJson } from './dynamodb-stream.reader';

describe('reading GetRecords pages as their JSON', () => {
  const client = () => new DynamoDBStreamsClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

  it('replaces the installed SDK protocol step', () => {
    const c = client();
    const before = (c.config.protocol as unknown as { deserializeResponse: unknown }).deserializeResponse;
    readGetRecordsAsPlainJson(c);
    expect((c.config.protocol as unknown as { deserializeResponse: unknown }).deserializeResponse).not.toBe(before);
  });

  it('refuses, naming the package, an SDK without that step', () => {
    const c = client();
    (c.config as unknown as { protocol: object }).protocol = {};
    expect(() => readGetRecordsAsPlainJson(c)).toThrow(/@aws-sdk\/client-dynamodb-streams has no protocol step deserializeResponse/);
  });
});
