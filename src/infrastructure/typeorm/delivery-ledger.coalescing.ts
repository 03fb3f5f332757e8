import type { Channel } from '../../domain/notification/channel';
import {
  DeliveryLedger,
  type ClaimedNotification,
  type FinishedAttempt,
  type LeaseRecoveryReport,
  type StartedAttempt,
} from '../../domain/ports/delivery-ledger.port';
import { assignRows, StatementCoalescer } from './statement-coalescer';

interface ClaimCall {
  ids: string[];
  owner: string;
  leaseMs: number;
}

interface BeginCall {
  ids: string[];
  owner: string;
}

/** The ids of a group being gathered, kept up to date as calls join it (a group only grows). */
const groupIds = new WeakMap<readonly unknown[], { counted: number; ids: Set<string> }>();

/** Whether any of `ids` is already named by a call of `group`; `idsOf` reads a call's ids. */
function overlaps<C>(ids: readonly string[], group: readonly C[], idsOf: (call: C) => readonly string[]): boolean {
  let seen = groupIds.get(group);
  if (!seen) groupIds.set(group, (seen = { counted: 0, ids: new Set() }));
  for (; seen.counted < group.length; seen.counted++) for (const id of idsOf(group[seen.counted])) seen.ids.add(id);
  return ids.some((id) => seen.ids.has(id));
}

/**
 * Shares the ledger's statements among a worker's concurrent batches. Each poller's batch takes three round
 * trips (claim, begin, finish); with many pollers per queue, those of the same kind arriving together go in one
 * statement, so Postgres parses, plans and wakes a backend once for all of them.
 *
 * Each caller gets exactly its own rows back. A notification named by two batches at once (a redelivered
 * message) is claimed once and given to one of them, as two separate statements would have done; begin and
 * finish calls that name the same notification never share a statement, so their guards (lease owner,
 * allowed source statuses) see the same states as they would alone. Only calls with the same owner and lease
 * are merged.
 */
export class CoalescingDeliveryLedger extends DeliveryLedger {
  private readonly claims: StatementCoalescer<ClaimCall, ClaimedNotification[]>;
  private readonly begins: StatementCoalescer<BeginCall, StartedAttempt[]>;
  private readonly finishes: StatementCoalescer<FinishedAttempt[], undefined>;

  constructor(
    private readonly inner: DeliveryLedger,
    maxInFlight: number,
    maxItems = 200,
  ) {
    super();
    this.claims = new StatementCoalescer({
      maxInFlight,
      maxItems,
      sizeOf: (c) => c.ids.length,
      fits: (group, c) => group[0].owner === c.owner && group[0].leaseMs === c.leaseMs,
      run: async (group) => {
        if (group.length === 1) return [await inner.claimForSending(group[0].ids, group[0].owner, group[0].leaseMs)];
        const ids = [...new Set(group.flatMap((c) => c.ids))];
        const rows = await inner.claimForSending(ids, group[0].owner, group[0].leaseMs);
        return assignRows(
          group.map((c) => c.ids),
          rows,
          (r) => r.id,
        );
      },
    });
    this.begins = new StatementCoalescer({
      maxInFlight,
      maxItems,
      sizeOf: (c) => c.ids.length,
      fits: (group, c) => group[0].owner === c.owner && !overlaps(c.ids, group, (g) => g.ids),
      run: async (group) => {
        if (group.length === 1) return [await inner.beginAttempts(group[0].ids, group[0].owner)];
        const rows = await inner.beginAttempts(
          group.flatMap((c) => c.ids),
          group[0].owner,
        );
        return assignRows(
          group.map((c) => c.ids),
          rows,
          (r) => r.notificationId,
        );
      },
    });
    this.finishes = new StatementCoalescer({
      maxInFlight,
      maxItems,
      sizeOf: (c) => c.length,
      fits: (group, c) =>
        !overlaps(
          c.map((r) => r.notificationId),
          group,
          (g) => g.map((r) => r.notificationId),
        ),
      run: async (group) => {
        await inner.finishAttempts(group.flat());
        return group.map(() => undefined);
      },
    });
  }

  claimForSending(ids: string[], owner: string, leaseMs: number): Promise<ClaimedNotification[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.claims.submit({ ids, owner, leaseMs });
  }

  beginAttempts(ids: string[], owner: string): Promise<StartedAttempt[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.begins.submit({ ids, owner });
  }

  finishAttempts(results: FinishedAttempt[]): Promise<void> {
    if (results.length === 0) return Promise.resolve();
    return this.finishes.submit(results);
  }

  recoverExpiredLeases(resendableChannels: Channel[], limit: number): Promise<LeaseRecoveryReport> {
    return this.inner.recoverExpiredLeases(resendableChannels, limit);
  }

  requeueStranded(dueForMs: number, limit: number): Promise<number> {
    return this.inner.requeueStranded(dueForMs, limit);
  }
}
