import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Env } from '../config/env-reader';
import { ConfigError } from '../config/config-error';
import { SECRET_SETTINGS } from '../config/secret-settings';
import { describeReference, parseSecretReference, type SecretReference } from '../config/secret-reference';

const CLIENT_OPTIONS = { maxAttempts: 3, requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 } };

/**
 * Returns `env` with every secret setting that holds a reference (`ssm:…`, `secretsmanager:…`) replaced by the
 * secret it names, read from AWS through the SDK (credentials from the usual chain, region from `AWS_REGION`,
 * endpoints from `AWS_ENDPOINT_URL_SSM` and `AWS_ENDPOINT_URL_SECRETS_MANAGER`). All are read at once; when any
 * cannot be, one `ConfigError` names each setting and its reference (never a value). Without references, AWS is
 * not called.
 */
export async function resolveSecretReferences(env: Env, settings: readonly string[] = SECRET_SETTINGS): Promise<Env> {
  const problems: string[] = [];
  const wanted: Array<{ setting: string; reference: SecretReference }> = [];
  for (const setting of settings) {
    const parsed = parseSecretReference(env[setting] ?? '');
    if (!parsed) continue;
    if (parsed.ok) wanted.push({ setting, reference: parsed.reference });
    else problems.push(`${setting}: ${parsed.problem}`);
  }
  if (problems.length) throw new ConfigError(problems);
  if (wanted.length === 0) return env;

  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
  const endpoint = (name: string) => (env[name]?.trim() ? { endpoint: env[name]!.trim() } : {});
  let ssm: SSMClient | null = null;
  let secretsManager: SecretsManagerClient | null = null;
  // One read per secret, however many settings take a key of it.
  const secretStrings = new Map<string, Promise<string>>();
  const read = async (ref: SecretReference): Promise<string> => {
    if (ref.store === 'ssm') {
      ssm ??= new SSMClient({ region, ...endpoint('AWS_ENDPOINT_URL_SSM'), ...CLIENT_OPTIONS });
      const out = await ssm.send(new GetParameterCommand({ Name: ref.name, WithDecryption: true }));
      if (typeof out.Parameter?.Value !== 'string') throw new ReadFailure('the parameter has no value');
      return out.Parameter.Value;
    }
    secretsManager ??= new SecretsManagerClient({ region, ...endpoint('AWS_ENDPOINT_URL_SECRETS_MANAGER'), ...CLIENT_OPTIONS });
    const client = secretsManager;
    let pending = secretStrings.get(ref.secretId);
    if (!pending) {
      pending = client.send(new GetSecretValueCommand({ SecretId: ref.secretId })).then((out) => {
        if (typeof out.SecretString !== 'string') throw new ReadFailure('the secret has no SecretString');
        return out.SecretString;
      });
      secretStrings.set(ref.secretId, pending);
    }
    const secret = await pending;
    return ref.jsonKey === null ? secret : fieldOf(secret, ref.jsonKey);
  };

  try {
    const outcomes = await Promise.allSettled(wanted.map((w) => read(w.reference)));
    const resolved: Env = { ...env };
    outcomes.forEach((outcome, i) => {
      const { setting, reference } = wanted[i];
      if (outcome.status === 'fulfilled') resolved[setting] = outcome.value;
      else problems.push(`${setting}: cannot read ${describeReference(reference)} (${reason(outcome.reason)})`);
    });
    if (problems.length) throw new ConfigError(problems);
    return resolved;
  } finally {
    (ssm as SSMClient | null)?.destroy();
    (secretsManager as SecretsManagerClient | null)?.destroy();
  }
}

/** A read that reached AWS and got something unusable; its message is safe to show. */
class ReadFailure extends Error {}

function fieldOf(secret: string, key: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    throw new ReadFailure(`the secret is not JSON, so it has no key "${key}"`);
  }
  const value = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ReadFailure(value === undefined ? `the secret's JSON has no key "${key}"` : `the secret's key "${key}" is not a string`);
}

/**
 * Why a read failed, without the secret: the AWS error's name (ParameterNotFound, ResourceNotFoundException,
 * AccessDeniedException, …), a network error's code, or our own reason.
 */
function reason(err: unknown): string {
  if (err instanceof ReadFailure) return err.message;
  const e = err as { name?: string; code?: unknown; message?: string; cause?: { code?: unknown }; $fault?: unknown };
  // An answer from the service: its error type, never its message (which may quote the resource).
  if (e?.$fault && e.name) return e.name;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  // The SDK wraps a socket error in one named "AWS SDK error wrapper for Error: connect ECONNREFUSED …".
  const socketCode = /\b(E[A-Z]{3,}[A-Z_]*)\b/.exec(`${e?.name ?? ''} ${e?.message ?? ''}`)?.[1];
  if (socketCode) return socketCode;
  if (e?.name && e.name !== 'Error' && e.name !== 'TypeError') return e.name;
  return e?.message ?? String(err);
}
