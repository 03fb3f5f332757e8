import { Injectable } from '@nestjs/common';
import { DispatchQueue, Outbox } from '../../../domain/ports/outbox.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

/** Moves due outbox entries to their channel queues. Returns how many were published. */
@Injectable()
export class PublishOutbox {
  constructor(
    private readonly outbox: Outbox,
    private readonly queue: DispatchQueue,
    private readonly config: HeraldConfig,
  ) {}

  execute(input: { limit?: number } = {}): Promise<number> {
    return this.outbox.drain(input.limit ?? this.config.relay.batchSize, (entries) => this.queue.publish(entries));
  }
}
