import { Injectable } from '@nestjs/common';
import { TopicStore } from '../../../domain/ports/topic-store.port';

/** Subscribes users to a topic (creating it when new); subscribing twice changes nothing. */
@Injectable()
export class SubscribeUsers {
  constructor(private readonly topics: TopicStore) {}

  async execute(input: { key: string; userIds: string[] }): Promise<{ added: number }> {
    return { added: await this.topics.subscribe(input.key, [...new Set(input.userIds)]) };
  }
}
