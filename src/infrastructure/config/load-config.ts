import { hostname } from 'node:os';
import { parsePolitenessLimits } from '../../domain/notification/politeness-policy';
import { parseQuietHours, type QuietHoursWindow } from '../../domain/notification/quiet-hours';
import { DEFAULT_SNS_CERT_URL_PATTERN } from '../providers/sns/sns-message';
import { MAX_IDS_PER_MESSAGE } from '../sqs/dispatch-message';
import { parseDurationList } from '../../domain/notification/retry-policy';
import { readRulesFile } from '../event-rules/rules-file';
import { ConfigError } from './config-error';
import { SECRET_SETTINGS } from './secret-settings';
import { envReader, type Env } from './env-reader';
import { HeraldConfig } from './herald-config';
import { parseRoles, ROLES, type Role } from './roles';
import { loadChannelConfig } from './channel-config';
import { CHANNELS } from '../../domain/notification/channel';
import { checkDestinationUrl } from '../providers/http/outbound-guard';
import { VONAGE_SIGNATURE_METHODS, type VonageSignatureMethod } from '../providers/vonage/vonage-signature';
import { parseDataEncryptionKeys } from '../crypto/field-cipher';
import { INBOX_TOKEN_SECRET_MIN_BYTES } from '../../domain/access/inbox-token';

/** Slack's incoming-webhook hosts: the commercial one and GovSlack's. */
export const DEFAULT_SLACK_WEBHOOK_HOSTS = 'hooks.slack.com,hooks.slack-gov.com';

export { ConfigError };


/**
 * Reads and validates every setting, then throws one error naming all missing or bad ones.
 * Plain code, usable before Nest boots (main.ts uses the role list to choose modules).
 */
export function loadConfig(env: Env = process.env): HeraldConfig {
  const problems: string[] = [];
  const { roles, unknown } = parseRoles(env.HERALD_ROLES);
  if (unknown.length) problems.push(`HERALD_ROLES: unknown role(s) ${unknown.join(', ')}; known roles are all, ${ROLES.join(', ')}`);
  const needs = (role: Role | 'worker') => roles.some((r) => r === role || (role === 'worker' && r.startsWith('worker:')));

  const { str, int, duration, bool, url } = envReader(env, problems);

  const databaseUrl = str('DATABASE_URL', true);
  url('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']);
  const region = str('AWS_REGION', true);
  const sqsEndpoint = str('SQS_ENDPOINT', false) || null;
  if (sqsEndpoint) url('SQS_ENDPOINT', sqsEndpoint, ['http:', 'https:']);
  const smtpListed = (env.EMAIL_PROVIDERS?.trim() || 'smtp').split(',').map((p) => p.trim()).includes('smtp');
  let smtpUrl = str('SMTP_URL', needs('worker:email') && smtpListed);
  url('SMTP_URL', smtpUrl, ['smtp:', 'smtps:']);
  // The password on its own, so that it can be kept in SSM or Secrets Manager apart from the server's address.
  const smtpPassword = env.SMTP_PASSWORD ?? '';
  if (smtpPassword && smtpUrl) {
    try {
      const u = new URL(smtpUrl);
      if (!u.username) problems.push('SMTP_PASSWORD needs a user name in SMTP_URL (smtp://user@host:587)');
      u.password = encodeURIComponent(smtpPassword);
      smtpUrl = u.toString();
    } catch {
      // SMTP_URL's own problem is already recorded
    }
  }
  const emailFrom = str('EMAIL_FROM', needs('worker:email') && smtpListed);
  if (emailFrom && !/@/.test(emailFrom)) problems.push('EMAIL_FROM must be an email address, optionally with a name: "Herald <no-reply@example.com>"');
  const fromDomain = /@([^\s<>@]+)>?\s*$/.exec(emailFrom)?.[1] ?? '';
  const ehloName = str('SMTP_EHLO_NAME', false, fromDomain || hostname());
  const messageIdDomain = str('SMTP_MESSAGE_ID_DOMAIN', false, fromDomain || ehloName);
  for (const name of ['SMTP_EHLO_NAME', 'SMTP_MESSAGE_ID_DOMAIN']) {
    const value = env[name]?.trim();
    if (value && !/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)$/.test(value)) {
      problems.push(`${name} must be a domain name such as mail.example.com (got "${value}")`);
    }
  }

  let retrySchedule = [60_000, 300_000, 900_000, 3_600_000];
  if (env.RETRY_SCHEDULE?.trim()) {
    const parsed = parseDurationList(env.RETRY_SCHEDULE);
    if (parsed === null) problems.push(`RETRY_SCHEDULE must be a comma list of durations such as 1m,5m,15m,1h (got "${env.RETRY_SCHEDULE}")`);
    else retrySchedule = parsed;
  }
  const port = int('PORT', 3000, 0);
  // Links in messages (unsubscribe, preferences, tracking) are built on it: it must never silently be localhost.
  const publicUrl = str('PUBLIC_URL', needs('api') || needs('worker'), `http://localhost:${port}`);
  const publicUrlAllowHttp = bool('PUBLIC_URL_ALLOW_HTTP', false);
  if (env.PUBLIC_URL?.trim()) {
    url('PUBLIC_URL', publicUrl, ['http:', 'https:']);
    if (/^http:/i.test(publicUrl) && !publicUrlAllowHttp) {
      problems.push(`PUBLIC_URL must use https: (got "${publicUrl}"); set PUBLIC_URL_ALLOW_HTTP=true to allow plain http, e.g. on a developer machine`);
    }
  }
  const bootstrapApiKey = str('HERALD_BOOTSTRAP_API_KEY', false) || null;
  if (bootstrapApiKey && bootstrapApiKey.length < 24) problems.push('HERALD_BOOTSTRAP_API_KEY must be at least 24 characters');

  const channels = loadChannelConfig(env, problems, { region, emailFrom });
  const linkSecret = str('LINK_SIGNING_SECRET', needs('api') || needs('worker'));
  if (linkSecret && linkSecret.length < 32) problems.push('LINK_SIGNING_SECRET must be at least 32 characters');
  const smsWebhookSecret = str('SMS_INBOUND_WEBHOOK_SECRET', false) || null;
  if (smsWebhookSecret && smsWebhookSecret.length < 16) problems.push('SMS_INBOUND_WEBHOOK_SECRET must be at least 16 characters');
  let quietHours: QuietHoursWindow | null = null;
  if (env.QUIET_HOURS?.trim()) {
    quietHours = parseQuietHours(env.QUIET_HOURS);
    if (!quietHours) problems.push(`QUIET_HOURS must be a local time window such as 22:00-08:00 (got "${env.QUIET_HOURS}")`);
  }

  const politeness = parsePolitenessLimits(env.POLITENESS_LIMITS ?? '');
  if (politeness.bad.length) {
    problems.push(`POLITENESS_LIMITS: cannot read ${politeness.bad.map((b) => `"${b}"`).join(', ')}; expected category.channel=max/window[:suppress|:defer], e.g. marketing.email=3/24h, or *.*=20/24h across every category`);
  }

  const snsCertUrlPattern = str('WEBHOOK_SNS_CERT_URL_PATTERN', false, DEFAULT_SNS_CERT_URL_PATTERN);
  try {
    new RegExp(snsCertUrlPattern);
  } catch {
    problems.push(`WEBHOOK_SNS_CERT_URL_PATTERN is not a valid regular expression`);
  }

  const vonageSignatureMethod = str('VONAGE_SIGNATURE_METHOD', false, 'md5hash') as VonageSignatureMethod;
  if (!VONAGE_SIGNATURE_METHODS.includes(vonageSignatureMethod)) {
    problems.push(`VONAGE_SIGNATURE_METHOD must be one of ${VONAGE_SIGNATURE_METHODS.join(', ')} (got "${vonageSignatureMethod}")`);
  }

  const customerWebhookUrl = str('CUSTOMER_WEBHOOK_URL', false) || null;
  const outbound = {
    allowHttp: bool('OUTBOUND_ALLOW_HTTP', false),
    allowPrivateNetworks: bool('OUTBOUND_ALLOW_PRIVATE_NETWORKS', false),
    slackHosts: (env.SLACK_WEBHOOK_HOSTS?.trim() || DEFAULT_SLACK_WEBHOOK_HOSTS).split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
  };
  if (customerWebhookUrl) {
    url('CUSTOMER_WEBHOOK_URL', customerWebhookUrl, ['http:', 'https:']);
    const refusal = checkDestinationUrl(customerWebhookUrl, outbound);
    if (refusal && refusal.code !== 'destination_invalid') problems.push(`CUSTOMER_WEBHOOK_URL: ${refusal.message} (OUTBOUND_ALLOW_HTTP and OUTBOUND_ALLOW_PRIVATE_NETWORKS allow it for development)`);
  }
  const customerWebhookSecret = str('CUSTOMER_WEBHOOK_SECRET', Boolean(customerWebhookUrl)) || null;
  let customerWebhookRetries = [10_000, 60_000, 300_000, 900_000, 3_600_000];
  if (env.CUSTOMER_WEBHOOK_RETRY_SCHEDULE?.trim()) {
    const parsed = parseDurationList(env.CUSTOMER_WEBHOOK_RETRY_SCHEDULE);
    if (!parsed?.length) problems.push(`CUSTOMER_WEBHOOK_RETRY_SCHEDULE must be a comma list of durations such as 10s,1m,5m (got "${env.CUSTOMER_WEBHOOK_RETRY_SCHEDULE}")`);
    else customerWebhookRetries = parsed;
  }

  const trackingSecret = str('TRACKING_SECRET', false);
  if (trackingSecret && trackingSecret.length < 16) problems.push('TRACKING_SECRET must be at least 16 characters');
  const streamSources = (env.STREAM_SOURCES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const intakeQueue = str('INTAKE_QUEUE', false) || null;
  const rulesFile = str('EVENT_RULES_FILE', needs('stream') && streamSources.length > 0) || null;
  const rules = rulesFile ? readRulesFile(rulesFile) : { rules: [], problems: [] };
  problems.push(...rules.problems.map((p) => `EVENT_RULES_FILE ${rulesFile}: ${p}`));
  const startPosition = str('STREAM_START_POSITION', false, 'TRIM_HORIZON').toUpperCase();
  if (startPosition !== 'TRIM_HORIZON' && startPosition !== 'LATEST') problems.push(`STREAM_START_POSITION must be TRIM_HORIZON or LATEST (got "${startPosition}")`);
  const dynamodbEndpoint = str('DYNAMODB_ENDPOINT', false) || null;
  if (dynamodbEndpoint) url('DYNAMODB_ENDPOINT', dynamodbEndpoint, ['http:', 'https:']);
  const streamBatchSize = int('STREAM_BATCH_SIZE', 1000, 1);
  if (streamBatchSize > 1000) problems.push('STREAM_BATCH_SIZE must be at most 1000 (the GetRecords limit)');
  const streamReadAhead = int('STREAM_READ_AHEAD', 2, 1);
  if (streamReadAhead > 8) problems.push('STREAM_READ_AHEAD must be at most 8 (pages read ahead per shard)');
  const intakeBatchSize = int('INTAKE_BATCH_SIZE', 10, 1);
  if (intakeBatchSize > 10) problems.push('INTAKE_BATCH_SIZE must be at most 10 (the SQS ReceiveMessage limit)');

  const inboxTokenSecret = str('INBOX_TOKEN_SECRET', false) || null;
  if (inboxTokenSecret && Buffer.byteLength(inboxTokenSecret, 'utf8') < INBOX_TOKEN_SECRET_MIN_BYTES) {
    problems.push(`INBOX_TOKEN_SECRET must be at least ${INBOX_TOKEN_SECRET_MIN_BYTES} bytes`);
  }
  const inboxOrigins = (env.INBOX_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of inboxOrigins) {
    if (!isExactOrigin(origin)) problems.push(`INBOX_ALLOWED_ORIGINS: "${origin}" is not an origin such as https://app.example.com (scheme, host and optional port; no path, no trailing slash)`);
  }

  const sentryDsn = str('SENTRY_DSN', false) || null;
  if (sentryDsn) {
    url('SENTRY_DSN', sentryDsn, ['http:', 'https:']);
    if (!/^https?:\/\/[^@/]+@[^/]+\/.*\d+$/.test(sentryDsn)) problems.push('SENTRY_DSN must be a Sentry DSN such as https://<key>@o0.ingest.sentry.io/<project id>');
  }

  const config: HeraldConfig = Object.assign(new HeraldConfig(), {
    roles,
    http: {
      port,
      host: str('HOST', false) || null,
      trustProxy: trustProxy(env.TRUST_PROXY, problems),
      bodyLimitBytes: int('HTTP_BODY_LIMIT_BYTES', 5 * 1024 * 1024, 1024),
      publicUrl,
    },
    database: { url: databaseUrl, poolSize: int('DATABASE_POOL_SIZE', 10, 1), runMigrations: bool('MIGRATIONS_RUN', true) },
    aws: { region, sqsEndpoint },
    queues: {
      prefix: str('SQS_QUEUE_PREFIX', false, 'herald-'),
      overrides: Object.fromEntries(CHANNELS.filter((c) => env[`SQS_QUEUE_${c.toUpperCase()}`]?.trim()).map((c) => [c, env[`SQS_QUEUE_${c.toUpperCase()}`]!.trim()])),
      create: bool('SQS_CREATE_QUEUES', false),
      visibilityTimeoutSeconds: int('SQS_VISIBILITY_TIMEOUT_SECONDS', 60, 1),
      maxReceiveCount: int('SQS_MAX_RECEIVE_COUNT', 5, 2),
      waitTimeSeconds: int('SQS_WAIT_TIME_SECONDS', 20, 0),
    },
    email: {
      smtpUrl,
      from: emailFrom,
      poolSize: int('SMTP_POOL_SIZE', 5, 1),
      sendsPerConnection: int('SMTP_SENDS_PER_CONNECTION', 8, 1),
      connectionTimeoutMs: duration('SMTP_CONNECTION_TIMEOUT', 10_000),
      socketTimeoutMs: duration('SMTP_SOCKET_TIMEOUT', 30_000),
      ehloName,
      messageIdDomain,
    },
    dispatch: {
      leaseMs: duration('DISPATCH_LEASE', 60_000),
      retry: { scheduleMs: retrySchedule, jitter: 0.2 },
      concurrency: int('WORKER_CONCURRENCY', 4, 1),
    },
    relay: {
      pollIntervalMs: duration('RELAY_POLL_INTERVAL', 100),
      batchSize: int('RELAY_BATCH_SIZE', 500, 10),
      idsPerMessage: int('RELAY_IDS_PER_MESSAGE', 10, 1, MAX_IDS_PER_MESSAGE),
    },
    scheduler: {
      leaseSweepIntervalMs: duration('LEASE_SWEEP_INTERVAL', 15_000),
      idempotencyRetentionHours: int('IDEMPOTENCY_RETENTION_HOURS', 72, 24),
      reconcileIntervalMs: duration('RECONCILE_INTERVAL', 30_000),
      outboxStuckAfterMs: duration('OUTBOX_STUCK_AFTER', 60_000),
      queuedStrandedAfterMs: duration('QUEUED_STRANDED_AFTER', 300_000),
      idempotencyPurgeIntervalMs: duration('IDEMPOTENCY_PURGE_INTERVAL', 3_600_000),
      scheduledReleaseIntervalMs: duration('SCHEDULED_RELEASE_INTERVAL', 5_000),
    },
    quietHours: {
      window: quietHours,
      exemptCategories: (env.QUIET_HOURS_EXEMPT_CATEGORIES ?? 'critical,security').split(',').map((c) => c.trim()).filter(Boolean),
    },
    politeness: { limits: politeness.limits },
    tracking: {
      secret: str('TRACKING_SECRET', false) || null,
      categories: (env.TRACKING_CATEGORIES?.trim() || '*').split(',').map((c) => c.trim()).filter(Boolean),
      linkTtlMs: duration('TRACKING_LINK_TTL', 90 * 24 * 3_600_000),
    },
    outbound,
    customerWebhooks: {
      url: customerWebhookUrl,
      secret: customerWebhookSecret,
      retryScheduleMs: customerWebhookRetries,
      batchSize: int('CUSTOMER_WEBHOOK_BATCH_SIZE', 100, 1),
      intervalMs: duration('CUSTOMER_WEBHOOK_INTERVAL', 2_000),
      settleMs: duration('CUSTOMER_WEBHOOK_SETTLE', 2_000),
    },
    webhooks: {
      snsCertUrlPattern: snsCertUrlPattern,
      snsTopicArns: (env.WEBHOOK_SNS_TOPIC_ARNS ?? '').split(',').map((a) => a.trim()).filter(Boolean),
      sendgridPublicKey: str('SENDGRID_WEBHOOK_PUBLIC_KEY', false) || null,
      twilioAuthToken: str('WEBHOOK_TWILIO_AUTH_TOKEN', false) || str('TWILIO_AUTH_TOKEN', false) || null,
      vonageSignatureSecret: str('VONAGE_SIGNATURE_SECRET', false) || null,
      vonageSignatureMethod,
      timestampToleranceMs: duration('WEBHOOK_TIMESTAMP_TOLERANCE', 5 * 60_000),
    },
    auth: {
      bootstrapApiKey,
      rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 6000, 1),
      failureLimitPerMinute: int('AUTH_FAILURE_LIMIT_PER_MINUTE', 60, 1),
    },
    inboxAccess: {
      tokenSecret: inboxTokenSecret,
      allowedOrigins: inboxOrigins,
      maxStreamsPerUser: int('INBOX_MAX_STREAMS_PER_USER', 3, 1),
      requestsPerMinute: int('INBOX_REQUESTS_PER_MINUTE', 300, 1),
    },
    log: { level: str('LOG_LEVEL', false, 'info') },
    errorReporting: { sentryDsn, environment: str('SENTRY_ENVIRONMENT', false) || null },
    dataEncryption: parseDataEncryptionKeys(env.DATA_ENCRYPTION_KEYS ?? '', env.DATA_ENCRYPTION_ACTIVE_KEY ?? '', problems),
    channels,
    links: {
      secret: linkSecret,
      unsubscribeTtlMs: duration('UNSUBSCRIBE_LINK_TTL', 60 * 24 * 3_600_000),
      preferencePageTtlMs: duration('PREFERENCE_LINK_TTL', 7 * 24 * 3_600_000),
    },
    fanout: {
      batchSize: int('FANOUT_BATCH_SIZE', 1000, 1),
      pollIntervalMs: duration('FANOUT_POLL_INTERVAL', 500),
      batchPauseMs: duration('FANOUT_BATCH_PAUSE', 0),
    },
    workflows: {
      pollIntervalMs: duration('WORKFLOW_POLL_INTERVAL', 1000),
      outcomeCheckIntervalMs: duration('WORKFLOW_OUTCOME_CHECK_INTERVAL', 5000),
      batchSize: int('WORKFLOW_BATCH_SIZE', 100, 1),
      leaseMs: duration('WORKFLOW_LEASE', 60_000),
    },
    inbound: { smsWebhookSecret, twilioAuthToken: str('SMS_INBOUND_TWILIO_AUTH_TOKEN', false) || null },
    eventRules: { file: rulesFile, rules: rules.rules },
    streams: {
      sources: streamSources,
      startPosition: startPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
      dynamodbEndpoint,
      batchSize: streamBatchSize,
      readAheadPages: streamReadAhead,
      pollIntervalMs: duration('STREAM_POLL_INTERVAL', 1000),
      leaseMs: duration('STREAM_LEASE', 30_000),
      relistIntervalMs: duration('STREAM_RELIST_INTERVAL', 60_000),
      lagWarningMs: duration('STREAM_LAG_WARNING', 6 * 3_600_000),
    },
    intake: { queue: intakeQueue, batchSize: intakeBatchSize, concurrency: int('INTAKE_CONCURRENCY', 2, 1) },
  });
  if (problems.length) throw new ConfigError(problems);
  // Not enumerable: a config printed or serialised by mistake does not carry them.
  Object.defineProperty(config, 'secretValues', { value: secretValuesOf(env), enumerable: false });
  return config;
}

/** The configured secrets, and the passwords inside those that are URLs, for censoring free text. */
function secretValuesOf(env: Env): string[] {
  const values = new Set<string>();
  for (const name of SECRET_SETTINGS) {
    const v = env[name]?.trim();
    if (!v) continue;
    values.add(v);
    try {
      const password = decodeURIComponent(new URL(v).password);
      if (password) values.add(password);
    } catch {
      // not a URL
    }
  }
  return [...values];
}

/** `https://app.example.com` or `http://localhost:5173`: what a browser sends as Origin, exactly. */
function isExactOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === value;
  } catch {
    return false;
  }
}

/** `false` (default), `true` (any proxy), a hop count, or a comma list of proxy addresses or CIDR ranges. */
function trustProxy(raw: string | undefined, problems: string[]): boolean | number | string[] {
  const v = raw?.trim() ?? '';
  if (!v || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.some((s) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(s) && !['loopback', 'linklocal', 'uniquelocal'].includes(s))) {
    problems.push(`TRUST_PROXY must be true, false, a hop count, or a comma list of addresses or CIDR ranges (got "${v}")`);
    return false;
  }
  return list;
}
