import { setImmediate as nextTurn } from 'node:timers/promises';

/** One GetRecords page as read, before preparation. */
export interface FetchedPage<R> {
  records: R[];
  /** Null once a closed shard is read to its end. */
  nextIterator: string | null;
}

/**
 * The pages of one shard, read ahead in order: while the caller commits one page, up to `depth` pages after it are
 * read and prepared. GetRecords calls stay one at a time (each needs the iterator the one before returned), so a
 * shard still has one reader; the next call is sent before the page it follows is prepared, so that DynamoDB
 * answers while this process maps records. Reading ahead stops after an empty page (nothing new: the caller waits
 * before asking again), after the page that ends a closed shard, after a failed read (the failure surfaces, in
 * order, when that page is taken) and when the caller drops the queue.
 */
export class ShardPages<R, P> {
  private readonly pages: Array<Promise<P>> = [];
  /** Where the next GetRecords reads, or null when nothing is to be read ahead (for now, or at all). */
  private iterator: string | null;
  /** The iterator an empty page gave: read from when the caller resumes. */
  private afterEmpty: string | null = null;
  private reading = false;
  private dropped = false;

  constructor(
    iterator: string,
    private readonly depth: number,
    private readonly fetch: (iterator: string) => Promise<FetchedPage<R>>,
    private readonly prepare: (page: FetchedPage<R>) => P,
  ) {
    this.iterator = iterator;
    this.fill();
  }

  /** The next page in shard order (read and prepared, or a failure to read it). */
  take(): Promise<P> {
    const page = this.pages.shift();
    if (!page) throw new Error('no page is being read: the shard ended, a read failed or the last page was empty');
    this.fill();
    return page;
  }

  /** After an empty page: reading goes on from the iterator it gave, when the caller asks for it. */
  resume(): void {
    if (this.afterEmpty === null || this.dropped) return;
    this.iterator = this.afterEmpty;
    this.afterEmpty = null;
    this.fill();
  }

  /** Nothing more is read; pages already asked for are ignored, failures included. */
  drop(): void {
    this.dropped = true;
    this.iterator = null;
    for (const page of this.pages.splice(0)) page.catch(() => undefined);
  }

  private fill(): void {
    if (this.dropped || this.reading || this.iterator === null || this.pages.length >= this.depth) return;
    const iterator = this.iterator;
    this.iterator = null;
    this.reading = true;
    const page = this.read(iterator);
    // A failure is seen by whoever takes the page; a page dropped unseen must not be an unhandled rejection.
    page.catch(() => undefined);
    this.pages.push(page);
  }

  private async read(iterator: string): Promise<P> {
    let fetched: FetchedPage<R>;
    try {
      fetched = await this.fetch(iterator);
    } finally {
      this.reading = false;
    }
    if (!this.dropped) {
      // Read on only past a page that has records: an empty one means the shard has nothing new yet.
      if (fetched.records.length > 0) this.iterator = fetched.nextIterator;
      else this.afterEmpty = fetched.nextIterator;
      this.fill();
      // Let the next GetRecords go out before this page's records are prepared.
      if (this.reading) await nextTurn();
    }
    return this.prepare(fetched);
  }
}
