import { setImmediate as nextTurn } from 'node:timers/promises';
import { ShardPages, type FetchedPage } from './shard-pages';

/** A shard whose GetRecords calls are answered by the test, one at a time, in the order they were made. */
class ScriptedShard {
  readonly calls: string[] = [];
  private readonly pending: Array<{ iterator: string; answer: (page: FetchedPage<number>) => void; fail: (err: Error) => void }> = [];
  inFlight = 0;
  maxInFlight = 0;

  fetch = (iterator: string): Promise<FetchedPage<number>> => {
    this.calls.push(iterator);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve, reject) => {
      this.pending.push({
        iterator,
        answer: (page) => {
          this.inFlight--;
          resolve(page);
        },
        fail: (err) => {
          this.inFlight--;
          reject(err);
        },
      });
    });
  };

  /** Answers the oldest call: `count` records numbered from its iterator, and the next iterator. */
  async answer(count: number, next: string | null): Promise<void> {
    const call = this.pending.shift();
    if (!call) throw new Error('no GetRecords call is waiting');
    const from = Number(call.iterator.slice(3));
    call.answer({ records: Array.from({ length: count }, (_, i) => from + i), nextIterator: next });
    await settle();
  }

  async fail(err: Error): Promise<void> {
    this.pending.shift()!.fail(err);
    await settle();
  }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await nextTurn();
};

const prepared = (page: FetchedPage<number>) => ({ first: page.records[0] ?? null, count: page.records.length, next: page.nextIterator });

describe('ShardPages', () => {
  it('reads up to `depth` pages ahead, one GetRecords at a time, and gives them in shard order', async () => {
    const shard = new ScriptedShard();
    const pages = new ShardPages('at-0', 2, shard.fetch, prepared);
    await settle();
    expect(shard.calls).toEqual(['at-0']);
    await shard.answer(10, 'at-10');
    expect(shard.calls).toEqual(['at-0', 'at-10']);
    await shard.answer(10, 'at-20');
    // Two pages held (the depth): no third call until one is taken.
    expect(shard.calls).toEqual(['at-0', 'at-10']);
    await expect(pages.take()).resolves.toEqual({ first: 0, count: 10, next: 'at-10' });
    expect(shard.calls).toEqual(['at-0', 'at-10', 'at-20']);
    await expect(pages.take()).resolves.toEqual({ first: 10, count: 10, next: 'at-20' });
    const third = pages.take();
    await shard.answer(5, null);
    await expect(third).resolves.toEqual({ first: 20, count: 5, next: null });
    // The shard ended: nothing more is read.
    expect(shard.calls).toEqual(['at-0', 'at-10', 'at-20']);
    expect(shard.maxInFlight).toBe(1);
    expect(() => pages.take()).toThrow(/no page is being read/);
  });

  it('stops after an empty page until the caller resumes, then reads from the iterator it gave', async () => {
    const shard = new ScriptedShard();
    const pages = new ShardPages('at-0', 3, shard.fetch, prepared);
    await shard.answer(0, 'at-0b');
    expect(shard.calls).toEqual(['at-0']);
    await expect(pages.take()).resolves.toEqual({ first: null, count: 0, next: 'at-0b' });
    expect(shard.calls).toEqual(['at-0']);
    pages.resume();
    expect(shard.calls).toEqual(['at-0', 'at-0b']);
  });

  it('gives a failed read in its place, after the pages before it, and reads nothing after it', async () => {
    const shard = new ScriptedShard();
    const pages = new ShardPages('at-0', 3, shard.fetch, prepared);
    await shard.answer(10, 'at-10');
    const expired = Object.assign(new Error('iterator expired'), { name: 'ExpiredIteratorException' });
    await shard.fail(expired);
    await expect(pages.take()).resolves.toMatchObject({ first: 0 });
    await expect(pages.take()).rejects.toThrow('iterator expired');
    expect(shard.calls).toEqual(['at-0', 'at-10']);
  });

  it('once dropped, reads nothing more and ignores what was still being read', async () => {
    const shard = new ScriptedShard();
    const pages = new ShardPages('at-0', 2, shard.fetch, prepared);
    pages.drop();
    await shard.fail(new Error('connection reset'));
    pages.resume();
    expect(shard.calls).toEqual(['at-0']);
  });
});
