import { Injectable } from '@nestjs/common';
import { FanoutNotFoundError } from '../../../domain/errors/domain-errors';
import { TopicFanoutStore, type FanoutProgress } from '../../../domain/ports/topic-fanout.port';

@Injectable()
export class GetFanout {
  constructor(private readonly fanouts: TopicFanoutStore) {}

  async execute(input: { id: string }): Promise<FanoutProgress> {
    const found = /^[0-9a-f-]{36}$/i.test(input.id) ? await this.fanouts.find(input.id) : null;
    if (!found) throw new FanoutNotFoundError(input.id);
    return found;
  }
}
