/**
 * A setting's value that names where the secret is kept instead of holding it:
 * - `ssm:<parameter name or ARN>`: an SSM Parameter Store parameter, read with decryption (SecureString);
 * - `secretsmanager:<secret id or ARN>[#<json key>]`: a Secrets Manager secret's `SecretString`, or one string
 *   field of it when the secret is a JSON object. Secret names cannot contain `#`, so the last one splits.
 */
export type SecretReference = { store: 'ssm'; name: string } | { store: 'secretsmanager'; secretId: string; jsonKey: string | null };

export type ParsedReference = { ok: true; reference: SecretReference } | { ok: false; problem: string } | null;

const SSM_PREFIX = 'ssm:';
const SECRETS_MANAGER_PREFIX = 'secretsmanager:';

/** `null` for a plain value; otherwise the reference, or why it cannot be one. */
export function parseSecretReference(value: string): ParsedReference {
  const v = value.trim();
  if (v.startsWith(SSM_PREFIX)) {
    const name = v.slice(SSM_PREFIX.length);
    if (!name || /\s/.test(name)) return { ok: false, problem: 'an SSM reference is ssm:<parameter name>, e.g. ssm:/herald/twilio-token' };
    return { ok: true, reference: { store: 'ssm', name } };
  }
  if (v.startsWith(SECRETS_MANAGER_PREFIX)) {
    const rest = v.slice(SECRETS_MANAGER_PREFIX.length);
    const hash = rest.lastIndexOf('#');
    const secretId = hash >= 0 ? rest.slice(0, hash) : rest;
    const jsonKey = hash >= 0 ? rest.slice(hash + 1) : null;
    if (!secretId || /\s/.test(secretId) || jsonKey === '') {
      return { ok: false, problem: 'a Secrets Manager reference is secretsmanager:<secret id>[#<json key>], e.g. secretsmanager:herald/fcm' };
    }
    return { ok: true, reference: { store: 'secretsmanager', secretId, jsonKey } };
  }
  return null;
}

/** The reference as it was written, for messages: it names where the secret is, never the secret. */
export function describeReference(ref: SecretReference): string {
  return ref.store === 'ssm' ? `ssm:${ref.name}` : `secretsmanager:${ref.secretId}${ref.jsonKey !== null ? `#${ref.jsonKey}` : ''}`;
}
