import type { HeraldConfig } from '../../src/infrastructure/config/herald-config';
import { loadConfig } from '../../src/infrastructure/config/load-config';

/** A validated configuration for constructing one adapter against a peer (no database is opened). */
export function providerConfig(env: Record<string, string>): HeraldConfig {
  return loadConfig({ HERALD_ROLES: 'api', DATABASE_URL: 'postgres://herald@127.0.0.1/unused', AWS_REGION: 'us-east-1', PROVIDER_REQUEST_TIMEOUT: '5s', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://herald.test', ...env });
}
