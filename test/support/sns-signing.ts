import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snsStringToSign, type SnsMessage } from '../../src/infrastructure/providers/sns/sns-message';

/** A self-signed RSA certificate and its key, made with openssl, standing in for the SNS signing certificate. */
export function makeSigningCertificate(days = 1): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'herald-sns-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', String(days), '-subj', '/CN=sns.us-east-1.amazonaws.com',
    ], { stdio: 'ignore' });
    return { certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Signs an SNS message the way SNS does (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA). */
export function signSnsMessage(message: Omit<SnsMessage, 'Signature'>, keyPem: string): SnsMessage {
  const unsigned = { ...message, Signature: '' } as SnsMessage;
  const signer = createSign(message.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
  signer.update(snsStringToSign(unsigned), 'utf8');
  return { ...unsigned, Signature: signer.sign(keyPem, 'base64') };
}
