/** A shard of a change stream, as listed by the stream. */
export interface StreamShard {
  shardId: string;
  parentShardId: string | null;
}

/** A shard this process holds the lease of, with where to resume. */
export interface LeasedShard {
  streamArn: string;
  shardId: string;
  /** Last sequence number whose notifications are committed; null before the first batch. */
  checkpoint: string | null;
  /** The parent shard is known (and finished): a child starts at its beginning, whatever the configured start. */
  parentKnown: boolean;
}

/**
 * Progress through a shard, written in the same transaction as the notifications of the records up to
 * `sequenceNumber`. Refused (the transaction fails) when `owner` no longer holds the shard's lease.
 */
export interface ShardCheckpoint {
  streamArn: string;
  shardId: string;
  owner: string;
  sequenceNumber: string | null;
  /** The shard is closed and fully read: its children may start. */
  ended: boolean;
}

/**
 * Shared ownership of stream shards between poller processes: a shard has at most one live owner; a lease
 * that is not renewed expires and the shard is taken over by another process, from its checkpoint.
 */
export abstract class ShardLeases {
  /** Records shards seen in a listing (known ones are left as they are). */
  abstract register(streamArn: string, shards: StreamShard[]): Promise<void>;
  /**
   * Takes free or expired shards whose parent is finished, up to a fair share among the live owners,
   * renews the ones already held, and returns every shard `owner` now holds.
   */
  abstract acquire(owner: string, streamArns: string[], leaseMs: number): Promise<LeasedShard[]>;
  /** Gives up the leases (clean shutdown), so another process can take the shards at once. */
  abstract release(owner: string, shardIds?: Array<{ streamArn: string; shardId: string }>): Promise<void>;
  /** Current checkpoint of a shard (to re-acquire an expired iterator). */
  abstract checkpointOf(streamArn: string, shardId: string): Promise<string | null>;
}
