import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeRules } from '../support/dynamodb';

jest.setTimeout(120_000);

function cli(...args: string[]) {
  const root = join(__dirname, '..', '..');
  const result = spawnSync(process.execPath, ['-r', join(root, 'test/support/ts-register.cjs'), join(root, 'src/cli/main.ts'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('npm run cli -- rules check', () => {
  it('accepts the example rules without a database', () => {
    const result = cli('rules', 'check', join(__dirname, '..', '..', 'examples', 'stream-rules.yaml'));
    expect(result).toMatchObject({ code: 0, out: expect.stringContaining('2 rule(s), all valid: order-placed, order-shipped') });
  });

  it('lists every problem of a bad file and fails', () => {
    const file = writeRules('rules:\n  - name: r\n    match: { eventName: UPSERT }\n    notify: { recipient: { email: new.email }, channels: [email] }\n');
    const result = cli('rules', 'check', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain('has 2 problem(s)');
    expect(result.err).toContain('rules[0] (r).match.eventName: unknown UPSERT; use INSERT, MODIFY, REMOVE');
    expect(result.err).toContain('rules[0] (r).notify.content must give the content of each channel');
  });
});
