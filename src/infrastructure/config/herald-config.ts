import type { MappingRule } from '../../domain/event-rules/mapping-rule';
import type { Channel } from '../../domain/notification/channel';
import type { RetryPolicy } from '../../domain/notification/retry-policy';
import type { Role } from './roles';
import type { ChannelConfig } from './channel-config';

/** Validated configuration. Injected as a token: services never read process.env. */
export class HeraldConfig {
  roles!: Role[];
  http!: { port: number; bodyLimitBytes: number; publicUrl: string };
  database!: { url: string; poolSize: number; runMigrations: boolean };
  aws!: { region: string; sqsEndpoint: string | null };
  queues!: {
    prefix: string;
    /** Explicit queue URL or name per channel; otherwise `${prefix}${channel}`. */
    overrides: Partial<Record<Channel, string>>;
    /** Create missing queues (and their dead-letter queues) at start: for emulators and first runs. */
    create: boolean;
    visibilityTimeoutSeconds: number;
    maxReceiveCount: number;
    waitTimeSeconds: number;
  };
  email!: {
    smtpUrl: string;
    from: string;
    poolSize: number;
    connectionTimeoutMs: number;
    socketTimeoutMs: number;
  };
  dispatch!: { leaseMs: number; retry: RetryPolicy; concurrency: number };
  relay!: { pollIntervalMs: number; batchSize: number };
  scheduler!: { leaseSweepIntervalMs: number; idempotencyRetentionHours: number };
  auth!: { bootstrapApiKey: string | null; rateLimitPerMinute: number };
  log!: { level: string };
  /** Providers of every channel: routing, breakers, rate limits, credentials (secrets). */
  channels!: ChannelConfig;
  /** Mapping rules for stream records and raw intake events (EVENT_RULES_FILE), validated at start. */
  eventRules!: { file: string | null; rules: MappingRule[] };
  streams!: {
    /** Stream ARNs, or table names resolved to their latest stream with DescribeTable. Empty: the stream role idles. */
    sources: string[];
    startPosition: 'TRIM_HORIZON' | 'LATEST';
    dynamodbEndpoint: string | null;
    batchSize: number;
    pollIntervalMs: number;
    leaseMs: number;
    relistIntervalMs: number;
    lagWarningMs: number;
  };
  intake!: {
    /** Queue name or URL. Null: the intake role idles. */
    queue: string | null;
    batchSize: number;
    /** Receive loops running side by side. */
    concurrency: number;
  };
}
