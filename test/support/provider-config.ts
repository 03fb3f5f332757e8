import type { HeraldConfig } from '../../src/infrastructure/config/herald-config';
import { loadConfig } from '../../src/infrastructure/config/load-config';

/** The development settings that let customer-given URLs reach http peers on the loopback address. */
export const LOCAL_PEERS_ALLOWED = { OUTBOUND_ALLOW_HTTP: 'true', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true', SLACK_WEBHOOK_HOSTS: 'hooks.slack.com,hooks.slack-gov.com,127.0.0.1,localhost' };

/**
 * A validated configuration for constructing one adapter against a peer (no database is opened). The peers listen
 * on 127.0.0.1 over http, so the outbound guard's development settings are on unless `env` turns them off.
 */
export function providerConfig(env: Record<string, string>): HeraldConfig {
  return loadConfig({ HERALD_ROLES: 'api', DATABASE_URL: 'postgres://herald@127.0.0.1/unused', AWS_REGION: 'us-east-1', PROVIDER_REQUEST_TIMEOUT: '5s', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://herald.test', ...LOCAL_PEERS_ALLOWED, ...env });
}
