import type { IntakeExtras, IntakeItem, IntakeResult } from '../../domain/ports/notification-intake.port';
import { NotificationIntake } from '../../domain/ports/notification-intake.port';

interface Waiting {
  items: IntakeItem[];
  resolve: (results: IntakeResult[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for small requests. Single-notification requests arriving together would each take a
 * connection and a transaction; instead, while `maxFlushes` transactions are in flight, new small calls
 * wait and then go together in one transaction (at most `maxItems` items). An idle system adds no delay:
 * a call that finds a free slot is written at once. Every call still resolves only after its own items
 * are committed, with its own results. If a shared transaction fails, each call is retried on its own,
 * so that one request's problem is never another's.
 */
export class CoalescingNotificationIntake extends NotificationIntake {
  private readonly waiting: Waiting[] = [];
  private active = 0;

  constructor(
    private readonly inner: NotificationIntake,
    private readonly maxFlushes: number,
    private readonly maxItems = 1000,
    /** Calls with at least this many items are batches already and go straight through. */
    private readonly smallCall = 20,
  ) {
    super();
  }

  acceptBatch(items: IntakeItem[], extras?: IntakeExtras): Promise<IntakeResult[]> {
    // Calls carrying a stream checkpoint or rejected events keep their own transaction.
    if (items.length >= this.smallCall || extras?.checkpoint || extras?.rejected?.length) return this.inner.acceptBatch(items, extras);
    return new Promise((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      this.pump();
    });
  }

  forgetIdempotencyKeys(acceptedBefore: Date, limit: number): Promise<number> {
    return this.inner.forgetIdempotencyKeys(acceptedBefore, limit);
  }

  private pump(): void {
    while (this.active < this.maxFlushes && this.waiting.length > 0) {
      const group: Waiting[] = [this.waiting.shift()!];
      let count = group[0].items.length;
      while (this.waiting.length > 0 && count + this.waiting[0].items.length <= this.maxItems) {
        const next = this.waiting.shift()!;
        group.push(next);
        count += next.items.length;
      }
      this.active++;
      void this.flush(group).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async flush(group: Waiting[]): Promise<void> {
    let results: IntakeResult[];
    try {
      results = await this.inner.acceptBatch(group.flatMap((w) => w.items));
    } catch (err) {
      if (group.length === 1) group[0].reject(err);
      else await Promise.all(group.map((w) => this.inner.acceptBatch(w.items).then(w.resolve, w.reject)));
      return;
    }
    let offset = 0;
    for (const w of group) {
      w.resolve(results.slice(offset, offset + w.items.length));
      offset += w.items.length;
    }
  }
}
