import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

const BASE = { DATABASE_URL: 'postgres://u:p@localhost/herald', AWS_REGION: 'us-east-1', SMTP_URL: 'smtp://localhost:25', EMAIL_FROM: 'a@example.com', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://herald.test' };

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'herald-config-')), 'rules.yaml');
  writeFileSync(path, text);
  return path;
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...BASE, ...env });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('event source settings', () => {
  it('runs every role, stream and intake included, without any stream or intake setting', () => {
    const config = loadConfig(BASE);
    expect(config.roles).toEqual(expect.arrayContaining(['stream', 'intake']));
    expect(config.streams.sources).toEqual([]);
    expect(config.intake.queue).toBeNull();
  });

  it('requires a rules file once streams are configured for the stream role', () => {
    expect(problemsOf({ HERALD_ROLES: 'stream', STREAM_SOURCES: 'orders' })).toEqual(['EVENT_RULES_FILE is required']);
    expect(problemsOf({ HERALD_ROLES: 'api', STREAM_SOURCES: 'orders' })).toEqual([]);
  });

  it('reads a valid rules file, and names each problem of an invalid one with the others', () => {
    const good = file('rules:\n  - name: r\n    notify: { recipient: { email: new.email }, channels: [email], content: { email: { subject: s, text: t } } }\n');
    expect(loadConfig({ ...BASE, EVENT_RULES_FILE: good, STREAM_SOURCES: 'orders' }).eventRules.rules.map((r) => r.name)).toEqual(['r']);
    const bad = file('rules:\n  - name: r\n    notify: { recipient: { email: new.email }, channels: [fax], content: {} }\n');
    expect(problemsOf({ EVENT_RULES_FILE: bad, STREAM_START_POSITION: 'middle', STREAM_BATCH_SIZE: '5000' })).toEqual([
      `EVENT_RULES_FILE ${bad}: rules[0] (r).notify.channels: unknown fax; use email, sms, push, webpush, chat, inapp`,
      `EVENT_RULES_FILE ${bad}: rules[0] (r).notify.content.fax is missing`,
      'STREAM_START_POSITION must be TRIM_HORIZON or LATEST (got "MIDDLE")',
      'STREAM_BATCH_SIZE must be at most 1000 (the GetRecords limit)',
    ]);
    expect(problemsOf({ EVENT_RULES_FILE: file('rules: [ {') })[0]).toMatch(/is not valid JSON or YAML/);
    expect(problemsOf({ EVENT_RULES_FILE: '/nonexistent/rules.yaml' })[0]).toMatch(/^EVENT_RULES_FILE \/nonexistent\/rules.yaml: cannot be read/);
  });

  it('names the problems of a malformed workflow rule at start', () => {
    const good = file('rules:\n  - name: w\n    workflow: { key: comment-digest, recipient: { userId: new.authorId }, payload: new }\n');
    expect(loadConfig({ ...BASE, EVENT_RULES_FILE: good }).eventRules.rules.map((r) => r.workflow?.key)).toEqual(['comment-digest']);
    const bad = file('rules:\n  - name: w\n    workflow: { key: comment-digest, recipient: { user: new.authorId } }\n');
    expect(problemsOf({ EVENT_RULES_FILE: bad })).toEqual([
      `EVENT_RULES_FILE ${bad}: rules[0] (w).workflow.recipient.user: unknown field; use userId, email, phone`,
      `EVENT_RULES_FILE ${bad}: rules[0] (w).workflow.payload must be one path whose map is the payload (e.g. new), or map payload fields to attribute paths`,
    ]);
  });
});
