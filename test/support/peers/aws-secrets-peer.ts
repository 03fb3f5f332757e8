import { randomUUID } from 'node:crypto';
import { HttpPeer, type PeerResponse, type ReceivedRequest } from './http-peer';

const ACCOUNT = '123456789012';
const JSON_1_1 = 'application/x-amz-json-1.1';

/** An awsJson1_1 error: HTTP 400 with `__type` (SSM writes `message`, Secrets Manager `Message`). */
function awsError(type: string, message: string, messageField: 'message' | 'Message'): PeerResponse {
  return { status: 400, headers: { 'content-type': JSON_1_1, 'x-amzn-requestid': randomUUID() }, body: JSON.stringify({ __type: type, [messageField]: message }) };
}

function ok(body: object): PeerResponse {
  return { status: 200, headers: { 'content-type': JSON_1_1, 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(body) };
}

/** The service a SigV4 `Authorization` header was signed for (`.../<region>/<service>/aws4_request`). */
function signedService(req: ReceivedRequest): string | null {
  return /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request,/.exec(String(req.headers.authorization ?? ''))?.[1] ?? null;
}

export interface AwsSecretsPeer {
  peer: HttpPeer;
  url: string;
  /** SSM parameters by name: SecureStrings unless said otherwise. */
  parameters: Map<string, { value: string; type?: 'String' | 'SecureString' }>;
  /** Secrets Manager secrets by name. */
  secrets: Map<string, string>;
  /** Names (parameter or secret) this caller may not read: AccessDeniedException. */
  denied: Set<string>;
  close(): Promise<void>;
}

/**
 * SSM Parameter Store `GetParameter` and Secrets Manager `GetSecretValue` as AWS documents them (awsJson1_1:
 * `POST /`, `X-Amz-Target: AmazonSSM.GetParameter` or `secretsmanager.GetSecretValue`), on one port. Requests
 * must be SigV4-signed for the right service. A SecureString read without `WithDecryption` gets the encrypted
 * blob, as from AWS. Errors: ParameterNotFound, ResourceNotFoundException, AccessDeniedException.
 */
export async function startAwsSecretsPeer(): Promise<AwsSecretsPeer> {
  const parameters = new Map<string, { value: string; type?: 'String' | 'SecureString' }>();
  const secrets = new Map<string, string>();
  const denied = new Set<string>();
  const peer = await HttpPeer.start((req) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || req.url !== '/' || !String(req.headers['content-type'] ?? '').startsWith(JSON_1_1)) {
      return awsError('UnknownOperationException', 'not an awsJson1_1 request', 'message');
    }
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(req.text) as Record<string, unknown>;
    } catch {
      return awsError('SerializationException', 'body is not JSON', 'message');
    }
    if (target === 'AmazonSSM.GetParameter') {
      if (signedService(req) !== 'ssm') return awsError('InvalidSignatureException', 'signature is not for ssm', 'message');
      const name = String(input.Name ?? '');
      if (denied.has(name)) return awsError('AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/herald is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:${ACCOUNT}:parameter${name}`, 'message');
      const p = parameters.get(name);
      if (!p) return awsError('ParameterNotFound', '', 'message');
      const type = p.type ?? 'SecureString';
      const value = type === 'SecureString' && input.WithDecryption !== true ? Buffer.from(`kms-ciphertext:${randomUUID()}`).toString('base64') : p.value;
      return ok({
        Parameter: { ARN: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`, DataType: 'text', LastModifiedDate: Date.now() / 1000, Name: name, Type: type, Value: value, Version: 1 },
      });
    }
    if (target === 'secretsmanager.GetSecretValue') {
      if (signedService(req) !== 'secretsmanager') return awsError('InvalidSignatureException', 'signature is not for secretsmanager', 'Message');
      const id = String(input.SecretId ?? '');
      if (denied.has(id)) return awsError('AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/herald is not authorized to perform: secretsmanager:GetSecretValue`, 'Message');
      const secret = secrets.get(id);
      if (secret === undefined) return awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 'Message');
      return ok({
        ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${id}-AbCdEf`,
        CreatedDate: Date.now() / 1000,
        Name: id,
        SecretString: secret,
        VersionId: randomUUID(),
        VersionStages: ['AWSCURRENT'],
      });
    }
    return awsError('UnknownOperationException', `unknown operation ${target}`, 'message');
  });
  return { peer, url: peer.url, parameters, secrets, denied, close: () => peer.close() };
}
