import { resolveSecretReferences } from '../../src/infrastructure/aws-secrets/secret-references.resolver';
import { ConfigError } from '../../src/infrastructure/config/config-error';
import { startAwsSecretsPeer, type AwsSecretsPeer } from '../support/peers/aws-secrets-peer';

describe('secret references read through the AWS SDK from SSM and Secrets Manager', () => {
  let aws: AwsSecretsPeer;
  let env: Record<string, string>;

  beforeAll(async () => {
    aws = await startAwsSecretsPeer();
    aws.parameters.set('/herald/twilio-token', { value: 'twilio-auth-token-from-ssm' });
    aws.parameters.set('/herald/smtp-password', { value: 'p@ss w0rd/with:odd#chars' });
    aws.secrets.set('herald/fcm', JSON.stringify({ access_token: 'fcm-token-from-sm', project: 'herald-test', retries: 3 }));
    aws.secrets.set('herald/link-secret', 'link-signing-secret-from-secrets-manager');
    aws.secrets.set('herald/forbidden', 'never read');
    aws.denied.add('herald/forbidden');
    env = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: aws.url, AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, EMAIL_FROM: 'ssm:/not/a/secret/setting' };
  });
  afterAll(() => aws.close());

  it('replaces each reference by its value, reading both stores in parallel, and leaves other settings alone', async () => {
    aws.peer.received.length = 0;
    const resolved = await resolveSecretReferences({
      ...env,
      TWILIO_AUTH_TOKEN: 'ssm:/herald/twilio-token',
      SMTP_PASSWORD: 'ssm:/herald/smtp-password',
      FCM_ACCESS_TOKEN: 'secretsmanager:herald/fcm#access_token',
      LINK_SIGNING_SECRET: 'secretsmanager:herald/link-secret',
      TRACKING_SECRET: 'a-plain-value-stays-0123456789',
    });
    expect(resolved).toMatchObject({
      TWILIO_AUTH_TOKEN: 'twilio-auth-token-from-ssm',
      SMTP_PASSWORD: 'p@ss w0rd/with:odd#chars',
      FCM_ACCESS_TOKEN: 'fcm-token-from-sm',
      LINK_SIGNING_SECRET: 'link-signing-secret-from-secrets-manager',
      TRACKING_SECRET: 'a-plain-value-stays-0123456789',
      EMAIL_FROM: 'ssm:/not/a/secret/setting',
    });
    const targets = aws.peer.received.map((r) => `${String(r.headers['x-amz-target'])} ${r.text}`).sort();
    expect(targets).toEqual([
      'AmazonSSM.GetParameter {"Name":"/herald/smtp-password","WithDecryption":true}',
      'AmazonSSM.GetParameter {"Name":"/herald/twilio-token","WithDecryption":true}',
      'secretsmanager.GetSecretValue {"SecretId":"herald/fcm"}',
      'secretsmanager.GetSecretValue {"SecretId":"herald/link-secret"}',
    ]);
  });

  it('reads a secret once however many settings take a key of it', async () => {
    aws.peer.received.length = 0;
    const resolved = await resolveSecretReferences({ ...env, FCM_ACCESS_TOKEN: 'secretsmanager:herald/fcm#access_token', TRACKING_SECRET: 'secretsmanager:herald/fcm#retries' });
    expect(resolved).toMatchObject({ FCM_ACCESS_TOKEN: 'fcm-token-from-sm', TRACKING_SECRET: '3' });
    expect(aws.peer.received).toHaveLength(1);
  });

  it('names every setting that cannot be read, with its reference and why, and never a value', async () => {
    const failure = await resolveSecretReferences({
      ...env,
      TWILIO_AUTH_TOKEN: 'ssm:/herald/missing',
      FCM_ACCESS_TOKEN: 'secretsmanager:herald/absent',
      CHAT_WEBHOOK_SECRET: 'secretsmanager:herald/forbidden',
      LINK_SIGNING_SECRET: 'secretsmanager:herald/link-secret#key',
      SMTP_PASSWORD: 'ssm:/herald/smtp-password',
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).problems.sort()).toEqual([
      'CHAT_WEBHOOK_SECRET: cannot read secretsmanager:herald/forbidden (AccessDeniedException)',
      'FCM_ACCESS_TOKEN: cannot read secretsmanager:herald/absent (ResourceNotFoundException)',
      'LINK_SIGNING_SECRET: cannot read secretsmanager:herald/link-secret#key (the secret is not JSON, so it has no key "key")',
      'TWILIO_AUTH_TOKEN: cannot read ssm:/herald/missing (ParameterNotFound)',
    ]);
    expect((failure as Error).message).not.toMatch(/p@ss|link-signing-secret-from/);
  });

  it('refuses a malformed reference before calling AWS, and a process without references never calls it', async () => {
    aws.peer.received.length = 0;
    await expect(resolveSecretReferences({ ...env, TWILIO_AUTH_TOKEN: 'ssm:' })).rejects.toThrow(/TWILIO_AUTH_TOKEN: an SSM reference is ssm:<parameter name>/);
    const plain = { ...env, TWILIO_AUTH_TOKEN: 'plain' };
    expect(await resolveSecretReferences(plain)).toBe(plain);
    expect(aws.peer.received).toHaveLength(0);
  });

  it('an unreachable endpoint is named as such', async () => {
    const closed = await startAwsSecretsPeer();
    const url = closed.url;
    await closed.close();
    await expect(resolveSecretReferences({ ...env, AWS_ENDPOINT_URL_SSM: url, TWILIO_AUTH_TOKEN: 'ssm:/herald/twilio-token' })).rejects.toThrow(
      /TWILIO_AUTH_TOKEN: cannot read ssm:\/herald\/twilio-token \(ECONNREFUSED\)/,
    );
  }, 30_000);
});
