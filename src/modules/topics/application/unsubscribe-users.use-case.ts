import { Injectable } from '@nestjs/common';
import { TopicStore } from '../../../domain/ports/topic-store.port';

@Injectable()
export class UnsubscribeUsers {
  constructor(private readonly topics: TopicStore) {}

  async execute(input: { key: string; userIds: string[] }): Promise<{ removed: number }> {
    return { removed: await this.topics.unsubscribe(input.key, input.userIds) };
  }
}
