import { parseDuration, parseDurationList } from '../../domain/notification/retry-policy';
import { HeraldConfig } from './herald-config';
import { parseRoles, ROLES, type Role } from './roles';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates every setting, then throws one error naming all missing or bad ones.
 * Plain code, usable before Nest boots (main.ts uses the role list to choose modules).
 */
export function loadConfig(env: Env = process.env): HeraldConfig {
  const problems: string[] = [];
  const { roles, unknown } = parseRoles(env.HERALD_ROLES);
  if (unknown.length) problems.push(`HERALD_ROLES: unknown role(s) ${unknown.join(', ')}; known roles are all, ${ROLES.join(', ')}`);
  const needs = (role: Role | 'worker') => roles.some((r) => r === role || (role === 'worker' && r.startsWith('worker:')));

  const str = (name: string, required: boolean, fallback = ''): string => {
    const v = env[name]?.trim();
    if (v) return v;
    if (required) problems.push(`${name} is required`);
    return fallback;
  };
  const int = (name: string, fallback: number, min = 0): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      problems.push(`${name} must be an integer >= ${min} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const duration = (name: string, fallbackMs: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallbackMs;
    const ms = parseDuration(raw);
    if (ms === null) {
      problems.push(`${name} must be a duration such as 500ms, 30s, 5m or 1h (got "${raw}")`);
      return fallbackMs;
    }
    return ms;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const url = (name: string, value: string, protocols: string[]): void => {
    if (!value) return;
    try {
      const u = new URL(value);
      if (!protocols.includes(u.protocol)) problems.push(`${name} must use ${protocols.join(' or ')} (got ${u.protocol})`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
  };

  const databaseUrl = str('DATABASE_URL', true);
  url('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']);
  const region = str('AWS_REGION', true);
  const sqsEndpoint = str('SQS_ENDPOINT', false) || null;
  if (sqsEndpoint) url('SQS_ENDPOINT', sqsEndpoint, ['http:', 'https:']);
  const smtpUrl = str('SMTP_URL', needs('worker:email'));
  url('SMTP_URL', smtpUrl, ['smtp:', 'smtps:']);
  const emailFrom = str('EMAIL_FROM', needs('worker:email'));
  if (emailFrom && !/@/.test(emailFrom)) problems.push('EMAIL_FROM must be an email address, optionally with a name: "Herald <no-reply@example.com>"');

  let retrySchedule = [60_000, 300_000, 900_000, 3_600_000];
  if (env.RETRY_SCHEDULE?.trim()) {
    const parsed = parseDurationList(env.RETRY_SCHEDULE);
    if (parsed === null) problems.push(`RETRY_SCHEDULE must be a comma list of durations such as 1m,5m,15m,1h (got "${env.RETRY_SCHEDULE}")`);
    else retrySchedule = parsed;
  }
  const port = int('PORT', 3000, 0);
  const bootstrapApiKey = str('HERALD_BOOTSTRAP_API_KEY', false) || null;
  if (bootstrapApiKey && bootstrapApiKey.length < 24) problems.push('HERALD_BOOTSTRAP_API_KEY must be at least 24 characters');

  const config: HeraldConfig = Object.assign(new HeraldConfig(), {
    roles,
    http: {
      port,
      bodyLimitBytes: int('HTTP_BODY_LIMIT_BYTES', 5 * 1024 * 1024, 1024),
      publicUrl: str('PUBLIC_URL', false, `http://localhost:${port}`),
    },
    database: { url: databaseUrl, poolSize: int('DATABASE_POOL_SIZE', 10, 1), runMigrations: bool('MIGRATIONS_RUN', true) },
    aws: { region, sqsEndpoint },
    queues: {
      prefix: str('SQS_QUEUE_PREFIX', false, 'herald-'),
      overrides: env.SQS_QUEUE_EMAIL?.trim() ? { email: env.SQS_QUEUE_EMAIL.trim() } : {},
      create: bool('SQS_CREATE_QUEUES', false),
      visibilityTimeoutSeconds: int('SQS_VISIBILITY_TIMEOUT_SECONDS', 60, 1),
      maxReceiveCount: int('SQS_MAX_RECEIVE_COUNT', 5, 2),
      waitTimeSeconds: int('SQS_WAIT_TIME_SECONDS', 20, 0),
    },
    email: {
      smtpUrl,
      from: emailFrom,
      poolSize: int('SMTP_POOL_SIZE', 5, 1),
      connectionTimeoutMs: duration('SMTP_CONNECTION_TIMEOUT', 10_000),
      socketTimeoutMs: duration('SMTP_SOCKET_TIMEOUT', 30_000),
    },
    dispatch: {
      leaseMs: duration('DISPATCH_LEASE', 60_000),
      retry: { scheduleMs: retrySchedule, jitter: 0.2 },
      concurrency: int('WORKER_CONCURRENCY', 8, 1),
    },
    relay: { pollIntervalMs: duration('RELAY_POLL_INTERVAL', 100), batchSize: int('RELAY_BATCH_SIZE', 500, 10) },
    scheduler: {
      leaseSweepIntervalMs: duration('LEASE_SWEEP_INTERVAL', 15_000),
      idempotencyRetentionHours: int('IDEMPOTENCY_RETENTION_HOURS', 72, 24),
    },
    auth: { bootstrapApiKey, rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 6000, 1) },
    log: { level: str('LOG_LEVEL', false, 'info') },
  });
  if (problems.length) throw new ConfigError(problems);
  return config;
}
