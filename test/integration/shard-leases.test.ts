import { ShardLeaseLostError } from '../../src/domain/errors/domain-errors';
import { NotificationIntake } from '../../src/domain/ports/notification-intake.port';
import { ShardLeases } from '../../src/domain/ports/shard-leases.port';
import { startHerald, type Herald } from '../support/herald-harness';

const STREAM = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-11-21T00:00:00.000';

let herald: Herald;
let leases: ShardLeases;
let intake: NotificationIntake;

beforeAll(async () => {
  herald = await startHerald({ HERALD_ROLES: 'api' });
  leases = herald.app.get(ShardLeases);
  intake = herald.app.get(NotificationIntake);
});

afterAll(async () => {
  await herald?.stop();
});

const ids = (shards: Array<{ shardId: string }>) => shards.map((s) => s.shardId).sort();
const checkpoint = (owner: string, shardId: string, sequenceNumber: string | null, ended = false) =>
  intake.acceptBatch([], { checkpoint: { streamArn: STREAM, shardId, owner, sequenceNumber, ended } });

describe('shard leases in PostgreSQL', () => {
  beforeEach(async () => {
    await herald.db.query('DELETE FROM stream_shards');
    await herald.db.query('DELETE FROM stream_pollers');
  });

  it('hands out a child shard only after its parent is read to the end', async () => {
    await leases.register(STREAM, [
      { shardId: 'parent', parentShardId: 'gone-long-ago' },
      { shardId: 'child-a', parentShardId: 'parent' },
      { shardId: 'child-b', parentShardId: 'parent' },
    ]);
    expect(ids(await leases.acquire('p1', [STREAM], 30_000))).toEqual(['parent']);
    await checkpoint('p1', 'parent', '100', true);
    const held = await leases.acquire('p1', [STREAM], 30_000);
    expect(ids(held)).toEqual(['child-a', 'child-b']);
    // A child of a parent read here starts at its beginning; the parent keeps its final checkpoint.
    expect(held.every((s) => s.parentKnown && s.checkpoint === null)).toBe(true);
    expect(await leases.checkpointOf(STREAM, 'parent')).toBe('100');
  });

  it('never gives one shard to two owners, shares shards fairly, and lets another take over an expired lease', async () => {
    await leases.register(STREAM, ['s1', 's2', 's3', 's4'].map((shardId) => ({ shardId, parentShardId: null })));
    const [a, b] = await Promise.all([leases.acquire('p1', [STREAM], 30_000), leases.acquire('p2', [STREAM], 30_000)]);
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
    // Whoever saw the other hand over its excess on its next pass, and the other takes it on the pass after.
    let [a2, b2] = [a, b];
    for (let pass = 0; pass < 2; pass++) [a2, b2] = [await leases.acquire('p1', [STREAM], 30_000), await leases.acquire('p2', [STREAM], 30_000)];
    expect(ids(a2).filter((id) => ids(b2).includes(id))).toEqual([]);
    expect([...ids(a2), ...ids(b2)].sort()).toEqual(['s1', 's2', 's3', 's4']);
    expect([a2.length, b2.length]).toEqual([2, 2]);

    // p1 stops renewing: its shards expire and p3 takes them over, from their checkpoints; p2 keeps its own.
    await checkpoint('p1', ids(a2)[0], '42');
    await herald.db.query(`UPDATE stream_shards SET lease_expires_at = now() - interval '1 second' WHERE lease_owner = 'p1'`);
    const taken = await leases.acquire('p3', [STREAM], 30_000);
    expect(ids(taken)).toEqual(ids(a2));
    expect(taken.find((s) => s.shardId === ids(a2)[0])!.checkpoint).toBe('42');
    expect(ids(await leases.acquire('p2', [STREAM], 30_000))).toEqual(ids(b2));
  });

  it('refuses a checkpoint (and the notifications with it) from a process that lost the lease', async () => {
    await leases.register(STREAM, [{ shardId: 's1', parentShardId: null }]);
    await leases.acquire('p1', [STREAM], 30_000);
    await herald.db.query(`UPDATE stream_shards SET lease_expires_at = now() - interval '1 second'`);
    expect(ids(await leases.acquire('p2', [STREAM], 30_000))).toEqual(['s1']);
    const request = {
      source: STREAM,
      idempotencyKey: 'e-1:rule',
      requestHash: 'h',
      requestId: '0b0f4a56-8f8f-4d3c-9a3e-0c7c6d3a1b01',
      drafts: [{ id: '0b0f4a56-8f8f-4d3c-9a3e-0c7c6d3a1b02', channel: 'email' as const, recipientKey: 'a@example.com', recipient: { email: 'a@example.com' }, content: {} }],
      category: null,
      template: null,
      metadata: {},
    };
    await expect(intake.acceptBatch([request], { checkpoint: { streamArn: STREAM, shardId: 's1', owner: 'p1', sequenceNumber: '7', ended: false } })).rejects.toBeInstanceOf(
      ShardLeaseLostError,
    );
    const { rows } = await herald.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification_requests WHERE source = $1`, [STREAM]);
    expect(rows[0].n).toBe(0);
    expect(await leases.checkpointOf(STREAM, 's1')).toBeNull();
    await leases.release('p2');
    expect(ids(await leases.acquire('p1', [STREAM], 30_000))).toEqual(['s1']);
  });
});
