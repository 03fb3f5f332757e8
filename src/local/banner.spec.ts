import { localBanner, withoutPasswords } from './banner';

describe('local-mode banner', () => {
  const apiKey = 'hk_local_0123456789abcdefghijklmnopqrstuvwx';
  const parts = {
    api: 'http://localhost:3000',
    inboxUrl: 'http://localhost:8025',
    inApp: { url: 'http://localhost:3001', userId: 'u-42' },
    apiKey,
    keyFrom: 'file' as const,
    notes: ['Postgres    postgres://postgres:postgres@127.0.0.1:54329/herald  (embedded; data kept in .local/pg)', 'SQS         http://127.0.0.1:4566  (fauxqs emulator, in memory)'],
    putItem: null,
  };

  it('prints the admin key once; the curl example reads it from where it is kept', () => {
    const text = localBanner(parts);
    expect(text.split(apiKey)).toHaveLength(2);
    expect(text).toContain('Authorization: Bearer $(cat .local/api-key)');
    const fromEnv = localBanner({ ...parts, keyFrom: 'env' });
    expect(fromEnv.split(apiKey)).toHaveLength(2);
    expect(fromEnv).toContain('Authorization: Bearer $HERALD_BOOTSTRAP_API_KEY');
  });

  it('points at the console', () => {
    expect(localBanner(parts)).toContain('Console     http://localhost:3000/console');
  });

  it('points at the in-app inbox example', () => {
    const text = localBanner(parts);
    expect(text).toContain('In-app      http://localhost:3001   (the <herald-inbox> example page, signed in as u-42)');
    expect(text).toContain('open http://localhost:3001 and press "Send a test notification"');
    expect(localBanner({ ...parts, inApp: null })).not.toContain('In-app');
  });

  it('prints no database password', () => {
    const text = localBanner(parts);
    expect(text).toContain('postgres://postgres@127.0.0.1:54329/herald');
    expect(text).not.toMatch(/postgres:postgres@/);
    expect(withoutPasswords('DATABASE_URL postgresql://app:s3cr%40t@db.internal:5432/x')).toBe('DATABASE_URL postgresql://app@db.internal:5432/x');
  });
});
