import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Role } from '../../infrastructure/config/roles';
import { PreferencesModule } from '../preferences/preferences.module';
import { TemplatesModule } from '../templates/templates.module';
import { FanoutsController } from './api/fanouts.controller';
import { TopicsController } from './api/topics.controller';
import { AcceptTopicNotification } from './application/accept-topic-notification.use-case';
import { GetFanout } from './application/get-fanout.use-case';
import { ListSubscribers } from './application/list-subscribers.use-case';
import { GetTopic } from './application/get-topic.use-case';
import { SaveTopic } from './application/save-topic.use-case';
import { RunFanoutBatch } from './application/run-fanout-batch.use-case';
import { SubscribeUsers } from './application/subscribe-users.use-case';
import { UnsubscribeUsers } from './application/unsubscribe-users.use-case';
import { FanoutRunner } from './consumers/fanout.runner';

/** Topics, subscriptions and fan-out of one event to every subscriber. The API in the api role; the fan-out loop in the scheduler role. */
@Module({})
export class TopicsModule {
  static forRoles(roles: readonly Role[]): DynamicModule {
    const providers: Provider[] = [AcceptTopicNotification, GetFanout, ListSubscribers, GetTopic, SaveTopic, RunFanoutBatch, SubscribeUsers, UnsubscribeUsers];
    if (roles.includes('scheduler')) providers.push(FanoutRunner);
    return {
      module: TopicsModule,
      imports: [PreferencesModule, TemplatesModule.register({ http: false })],
      controllers: roles.includes('api') ? [TopicsController, FanoutsController] : [],
      providers,
      exports: [RunFanoutBatch],
    };
  }
}
