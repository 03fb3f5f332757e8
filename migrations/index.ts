import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { Recipients1763700100000 } from './1763700100000-Recipients';
import { PreferencesTemplatesTopics1763700300000 } from './1763700300000-PreferencesTemplatesTopics';
import { PolitenessIndex1763700600000 } from './1763700600000-PolitenessIndex';
import { DeliveryTracking1763700700000 } from './1763700700000-DeliveryTracking';
import { CustomerWebhooks1763700800000 } from './1763700800000-CustomerWebhooks';
import { DestinationSends1763800300000 } from './1763800300000-DestinationSends';
import { Inbox1763800400000 } from './1763800400000-Inbox';
import { EventSources1763800500000 } from './1763800500000-EventSources';
import { HotPathForeignKeys1763800600000 } from './1763800600000-HotPathForeignKeys';
import { SendPathWrites1763800700000 } from './1763800700000-SendPathWrites';
import { RateLimitCounters1763900000000 } from './1763900000000-RateLimitCounters';
import { EngagementAnalytics1764000100000 } from './1764000100000-EngagementAnalytics';
import { ActivityFeed1764000600000 } from './1764000600000-ActivityFeed';
import { ApiKeyExpiry1764000600100 } from './1764000600100-ApiKeyExpiry';
import { AuditLog1764000600200 } from './1764000600200-AuditLog';
import { TemplateTopicListings1764000612000 } from './1764000612000-TemplateTopicListings';
import { InboxUserAccess1764000700300 } from './1764000700300-InboxUserAccess';
import { SentContent1764000700400 } from './1764000700400-SentContent';
import { ProviderHealth1764000730000 } from './1764000730000-ProviderHealth';
import { IntakeForeignKeys1764000790000 } from './1764000790000-IntakeForeignKeys';
import { Workflows1764000800000 } from './1764000800000-Workflows';
import { NotificationFillFactor1796181987616 } from './1796181987616-NotificationFillFactor';
import { MetadataIndexPartial1796184183828 } from './1796184183828-MetadataIndexPartial';

/** Every migration, oldest first. Listed explicitly so that the same list works compiled and under ts-jest. */
export const MIGRATIONS = [
  InitialSchema1763700000000,
  Recipients1763700100000,
  PreferencesTemplatesTopics1763700300000,
  PolitenessIndex1763700600000,
  DeliveryTracking1763700700000,
  CustomerWebhooks1763700800000,
  DestinationSends1763800300000,
  Inbox1763800400000,
  EventSources1763800500000,
  HotPathForeignKeys1763800600000,
  SendPathWrites1763800700000,
  RateLimitCounters1763900000000,
  EngagementAnalytics1764000100000,
  ActivityFeed1764000600000,
  ApiKeyExpiry1764000600100,
  AuditLog1764000600200,
  TemplateTopicListings1764000612000,
  InboxUserAccess1764000700300,
  SentContent1764000700400,
  ProviderHealth1764000730000,
  IntakeForeignKeys1764000790000,
  Workflows1764000800000,
  NotificationFillFactor1796181987616,
  MetadataIndexPartial1796184183828,
];
