interface Waiting<C, R> {
  call: C;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

export interface StatementCoalescerOptions<C, R> {
  /** Statements of this kind running at once; calls arriving while all are busy wait and share the next one. */
  maxInFlight: number;
  /** Upper bound on the items (by `sizeOf`) of one shared statement; a single larger call still goes alone. */
  maxItems: number;
  sizeOf: (call: C) => number;
  /** Whether `call` may share a statement with the calls already in `group`. */
  fits: (group: readonly C[], call: C) => boolean;
  /** Runs one statement for the group and returns each call's result, in the group's order. */
  run: (group: readonly C[]) => Promise<R[]>;
}

/**
 * Shares statements among concurrent calls of one kind. A call that finds a free slot runs at once (an idle
 * system adds no delay); calls that arrive while `maxInFlight` statements are running wait, and then go together
 * in the next one. If a shared statement fails, each of its calls is run again on its own, so that one call's
 * bad input is never another's failure, and an error that persists reaches every caller.
 */
export class StatementCoalescer<C, R> {
  private readonly waiting: Array<Waiting<C, R>> = [];
  private active = 0;

  constructor(private readonly options: StatementCoalescerOptions<C, R>) {}

  submit(call: C): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ call, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < this.options.maxInFlight && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.active++;
      void this.flush(group).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  /** The oldest waiting call, and then every later one that fits with it, within the size bound. Others keep their place. */
  private takeGroup(): Array<Waiting<C, R>> {
    const [first, ...rest] = this.waiting;
    const group = [first];
    // `fits` sees the same array, growing, for one group (so it may cache what it learns about it).
    const calls = [first.call];
    const kept: Array<Waiting<C, R>> = [];
    let size = this.options.sizeOf(first.call);
    for (const next of rest) {
      const nextSize = this.options.sizeOf(next.call);
      if (size < this.options.maxItems && size + nextSize <= this.options.maxItems && this.options.fits(calls, next.call)) {
        group.push(next);
        calls.push(next.call);
        size += nextSize;
      } else {
        kept.push(next);
      }
    }
    this.waiting.length = 0;
    for (const k of kept) this.waiting.push(k);
    return group;
  }

  private async flush(group: Array<Waiting<C, R>>): Promise<void> {
    let results: R[];
    try {
      results = await this.options.run(group.map((w) => w.call));
    } catch (err) {
      if (group.length === 1) group[0].reject(err);
      else await Promise.all(group.map((w) => this.options.run([w.call]).then((r) => w.resolve(r[0]), w.reject)));
      return;
    }
    group.forEach((w, i) => w.resolve(results[i]));
  }
}

/**
 * Splits the rows of a shared statement among the calls that asked for them: each row goes to exactly one call,
 * the first (in the group's order) whose ids include the row's id. A row is never given twice, so a notification
 * named by two calls at once (a redelivered queue message) is claimed for one of them only.
 */
export function assignRows<T>(asked: ReadonlyArray<readonly string[]>, rows: readonly T[], idOf: (row: T) => string): T[][] {
  const owner = new Map<string, number>();
  asked.forEach((ids, i) => {
    for (const id of ids) if (!owner.has(id)) owner.set(id, i);
  });
  const out: T[][] = asked.map(() => []);
  const given = new Set<string>();
  for (const row of rows) {
    const id = idOf(row);
    const i = owner.get(id);
    // The statement only touches ids that were asked for, and returns each at most once; the guard keeps it so.
    if (i === undefined || given.has(id)) continue;
    given.add(id);
    out[i].push(row);
  }
  return out;
}
