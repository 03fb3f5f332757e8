import { describeReference, parseSecretReference } from './secret-reference';

describe('secret references in settings', () => {
  it('reads an SSM parameter name or ARN', () => {
    expect(parseSecretReference('ssm:/herald/twilio-token')).toEqual({ ok: true, reference: { store: 'ssm', name: '/herald/twilio-token' } });
    expect(parseSecretReference(' ssm:arn:aws:ssm:eu-west-1:123456789012:parameter/herald/x ')).toEqual({
      ok: true,
      reference: { store: 'ssm', name: 'arn:aws:ssm:eu-west-1:123456789012:parameter/herald/x' },
    });
  });

  it('reads a Secrets Manager id, with or without a JSON key, splitting at the last #', () => {
    expect(parseSecretReference('secretsmanager:herald/fcm')).toEqual({ ok: true, reference: { store: 'secretsmanager', secretId: 'herald/fcm', jsonKey: null } });
    expect(parseSecretReference('secretsmanager:arn:aws:secretsmanager:us-east-1:1:secret:herald/fcm-AbCdEf#private_key')).toEqual({
      ok: true,
      reference: { store: 'secretsmanager', secretId: 'arn:aws:secretsmanager:us-east-1:1:secret:herald/fcm-AbCdEf', jsonKey: 'private_key' },
    });
  });

  it('takes any other value as written', () => {
    for (const plain of ['s3cr3t', 'smtp://u:p@host:587', 'https://ssm:8443/x', 'SSM:/upper', '']) expect(parseSecretReference(plain)).toBeNull();
  });

  it('refuses a reference with nothing to read, a blank JSON key or spaces in the name', () => {
    for (const bad of ['ssm:', 'ssm:/a b', 'secretsmanager:', 'secretsmanager:#key', 'secretsmanager:herald/fcm#']) {
      expect(parseSecretReference(bad)).toEqual({ ok: false, problem: expect.stringMatching(/reference is/) });
    }
  });

  it('describes a reference as it was written', () => {
    for (const written of ['ssm:/herald/twilio-token', 'secretsmanager:herald/fcm', 'secretsmanager:herald/fcm#key']) {
      const parsed = parseSecretReference(written);
      expect(parsed?.ok && describeReference(parsed.reference)).toBe(written);
    }
  });
});
