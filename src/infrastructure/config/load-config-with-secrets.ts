import { resolveSecretReferences } from '../aws-secrets/secret-references.resolver';
import type { Env } from './env-reader';
import type { HeraldConfig } from './herald-config';
import { loadConfig } from './load-config';

/**
 * What a process starts from: the secret references among the settings read from AWS first, then every setting
 * validated. Either step throws a `ConfigError` naming each bad setting.
 */
export async function loadConfigWithSecrets(env: Env = process.env): Promise<HeraldConfig> {
  return loadConfig(await resolveSecretReferences(env));
}
