import type { MappingRule } from '../../domain/event-rules/mapping-rule';
import type { Channel } from '../../domain/notification/channel';
import type { PolitenessLimit } from '../../domain/notification/politeness-policy';
import type { QuietHoursWindow } from '../../domain/notification/quiet-hours';
import type { RetryPolicy } from '../../domain/notification/retry-policy';
import type { Role } from './roles';
import type { ChannelConfig } from './channel-config';
import type { OutboundPolicy } from '../providers/http/outbound-guard';
import type { VonageSignatureMethod } from '../providers/vonage/vonage-signature';
import type { DataEncryptionKeys } from '../crypto/field-cipher';

/** Validated configuration. Injected as a token: services never read process.env. */
export class HeraldConfig {
  roles!: Role[];
  http!: {
    port: number;
    /** The address the API listens on (HOST); null listens on every interface. */
    host: string | null;
    /** Express `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-For gives the client address. */
    trustProxy: boolean | number | string[];
    bodyLimitBytes: number;
    publicUrl: string;
  };
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
    /** Messages started per pooled connection: one being written, the rest queued behind it. */
    sendsPerConnection: number;
    connectionTimeoutMs: number;
    socketTimeoutMs: number;
    /** The name given in EHLO: SMTP_EHLO_NAME, else the EMAIL_FROM domain, else the machine's host name. */
    ehloName: string;
    /** The right-hand side of Message-ID: SMTP_MESSAGE_ID_DOMAIN, else the EMAIL_FROM domain. */
    messageIdDomain: string;
  };
  dispatch!: { leaseMs: number; retry: RetryPolicy; concurrency: number };
  relay!: { pollIntervalMs: number; batchSize: number; idsPerMessage: number };
  scheduler!: {
    leaseSweepIntervalMs: number;
    idempotencyRetentionHours: number;
    /** How often the stuck-outbox and stranded-notification jobs run. */
    reconcileIntervalMs: number;
    /** An outbox entry due for longer than this is published by the scheduler too. */
    outboxStuckAfterMs: number;
    /** A queued notification due for longer than this, with no outbox entry, is enqueued again. */
    queuedStrandedAfterMs: number;
    idempotencyPurgeIntervalMs: number;
    /** How often due scheduled notifications are released. */
    scheduledReleaseIntervalMs: number;
  };
  /** Non-critical notifications are deferred to the end of this window in the recipient's time zone. */
  quietHours!: { window: QuietHoursWindow | null; exemptCategories: string[] };
  /** Per-recipient limits per category (or across every category) and channel (POLITENESS_LIMITS). */
  politeness!: { limits: PolitenessLimit[] };
  /** Provider delivery webhooks: how each is authenticated. A provider without its secret is refused. */
  /**
   * Open and click tracking of HTML emails (TRACKING_SECRET enables it; TRACKING_CATEGORIES limits it). A link
   * works for `linkTtlMs` after its email was accepted (TRACKING_LINK_TTL).
   */
  tracking!: { secret: string | null; categories: string[]; linkTtlMs: number };
  /**
   * Requests to URLs that customers give (chat destinations, web push endpoints, the status webhook): https only,
   * never to a loopback, private, link-local or metadata address, unless these development settings say otherwise.
   * Slack destinations must be on one of `slackHosts`.
   */
  outbound!: OutboundPolicy & { slackHosts: string[] };
  /** Keys sealing recipients' chat webhook URLs and device tokens in PostgreSQL; none configured stores them as they are. */
  dataEncryption!: DataEncryptionKeys;
  /** Errors logged at error level (and uncaught ones) go to Sentry when a DSN is set. */
  errorReporting!: { sentryDsn: string | null; environment: string | null };
  /** Every configured secret value, to censor in free text that leaves the process (not enumerable). */
  readonly secretValues!: readonly string[];
  /** Outbound status webhooks to the customer's endpoint. */
  customerWebhooks!: { url: string | null; secret: string | null; retryScheduleMs: number[]; batchSize: number; intervalMs: number; settleMs: number };
  webhooks!: {
    snsCertUrlPattern: string;
    snsTopicArns: string[];
    sendgridPublicKey: string | null;
    twilioAuthToken: string | null;
    /** Vonage's signature secret (VONAGE_SIGNATURE_SECRET): without it, Vonage delivery receipts are refused. */
    vonageSignatureSecret: string | null;
    vonageSignatureMethod: VonageSignatureMethod;
    /** A signed SendGrid or Vonage post whose timestamp is further than this from now is refused (a replay of a captured one). */
    timestampToleranceMs: number;
  };
  auth!: {
    bootstrapApiKey: string | null;
    /** Requests per minute per API key, across all routes and all api processes. */
    rateLimitPerMinute: number;
    /** Presented keys that are unknown or revoked, per minute per client address, before that address gets 429. */
    failureLimitPerMinute: number;
  };
  /**
   * Browsers reading a user's inbox with a user token (`/v1/inbox/*`). Without a secret (INBOX_TOKEN_SECRET) no
   * token can be minted nor accepted, and those routes answer 404.
   */
  inboxAccess!: {
    tokenSecret: string | null;
    /** Exact origins (scheme://host[:port]) granted CORS on `/v1/inbox/*`. */
    allowedOrigins: string[];
    /** Open streams per user and api process; one more is refused with 429. */
    maxStreamsPerUser: number;
    /** Requests per minute per user token subject, across `/v1/inbox/*` and all api processes. */
    requestsPerMinute: number;
  };
  log!: { level: string };
  /** Providers of every channel: routing, breakers, rate limits, credentials (secrets). */
  channels!: ChannelConfig;
  /** Signed unsubscribe and preference-page links. */
  links!: { secret: string; unsubscribeTtlMs: number; preferencePageTtlMs: number };
  fanout!: { batchSize: number; pollIntervalMs: number; batchPauseMs: number };
  /**
   * The workflow engine (scheduler role): how often it looks for due runs, how often a branch waiting for a
   * notification outcome looks again, how many runs a pass claims, and how long a claim holds a run.
   */
  workflows!: { pollIntervalMs: number; outcomeCheckIntervalMs: number; batchSize: number; leaseMs: number };
  inbound!: { smsWebhookSecret: string | null; twilioAuthToken: string | null };
  /** Mapping rules for stream records and raw intake events (EVENT_RULES_FILE), validated at start. */
  eventRules!: { file: string | null; rules: MappingRule[] };
  streams!: {
    /** Stream ARNs, or table names resolved to their latest stream with DescribeTable. Empty: the stream role idles. */
    sources: string[];
    startPosition: 'TRIM_HORIZON' | 'LATEST';
    dynamodbEndpoint: string | null;
    batchSize: number;
    /** Pages per shard read and prepared while the batch before them commits (STREAM_READ_AHEAD). */
    readAheadPages: number;
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
