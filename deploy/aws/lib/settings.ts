import { SECRET_SETTINGS } from '../../../src/infrastructure/config/secret-settings';

/** What the stack is built from: CDK context values (`cdk synth -c image=...`), checked in one place. */
export interface HeraldDeploySettings {
  /** The one Herald image every service runs (`docker build -f docker/Dockerfile`), pushed to a registry. */
  image: string;
  /** PUBLIC_URL: the https address users reach the api role at (links in messages are built on it). */
  publicUrl: string;
  /** ACM certificate for the load balancer's HTTPS listener; without it the listener is plain HTTP on port 80. */
  certificateArn: string | null;
  /** SQS_QUEUE_PREFIX: channel queues are `<prefix><channel>`, their dead-letter queues `<prefix><channel>-dlq`. */
  queuePrefix: string;
  /** INTAKE_QUEUE's name; its dead-letter queue is `<name>-dlq`. */
  intakeQueueName: string;
  /** SQS_MAX_RECEIVE_COUNT: receives before SQS moves a message to the dead-letter queue. */
  maxReceiveCount: number;
  /** SQS_VISIBILITY_TIMEOUT_SECONDS. */
  visibilityTimeoutSeconds: number;
  /** DynamoDB stream ARNs the stream role (or the Lambda handler) reads: STREAM_SOURCES. */
  streamArns: string[];
  /** Who reads the streams: the `stream` role as an ECS service, or the Lambda handler with an event source mapping. */
  streamReader: 'service' | 'lambda';
  /** The Lambda handler's code: `s3://bucket/key.zip` of dist/ with production node_modules and the rules file. */
  streamLambdaCode: { bucket: string; key: string } | null;
  /** EVENT_RULES_FILE as a path inside the image (or the Lambda package); required when streams are read. */
  eventRulesFile: string | null;
  /** Most tasks an auto-scaled service may run. */
  maxTasks: number;
  /** Plain settings given to every role (EMAIL_PROVIDERS, EMAIL_FROM, SMS_PROVIDERS, ...). */
  environment: Record<string, string>;
  /** Secret settings as Herald secret references, read by Herald at start: `{ "TWILIO_AUTH_TOKEN": "secretsmanager:herald/twilio#token" }`. */
  secretReferences: Record<string, string>;
  /** Address that receives the CloudWatch alarms (subscribed to the alarm topic); none when absent. */
  alarmEmail: string | null;
}

export type ContextReader = (key: string) => unknown;

/** Reads the settings from CDK context and throws one error naming every missing or bad value. */
export function readDeploySettings(context: ContextReader): HeraldDeploySettings {
  const problems: string[] = [];
  const text = (key: string, fallback: string | null = null): string | null => {
    const v = context(key);
    if (v === undefined || v === null || v === '') return fallback;
    if (typeof v !== 'string') {
      problems.push(`${key} must be a string`);
      return fallback;
    }
    return v.trim();
  };
  const integer = (key: string, fallback: number, min: number): number => {
    const v = context(key);
    if (v === undefined || v === null || v === '') return fallback;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < min) {
      problems.push(`${key} must be an integer of at least ${min} (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return n;
  };
  const object = (key: string): Record<string, string> => {
    let v = context(key);
    if (v === undefined || v === null || v === '') return {};
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        problems.push(`${key} must be a JSON object of strings`);
        return {};
      }
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
      problems.push(`${key} must be an object of strings`);
      return {};
    }
    return v as Record<string, string>;
  };

  const image = text('image');
  if (!image) problems.push('image is required: the Herald image to run, e.g. -c image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/herald:1.4.0');
  const publicUrl = text('publicUrl');
  if (!publicUrl) problems.push('publicUrl is required: the https address of the api role, e.g. -c publicUrl=https://herald.example.com');
  else if (!/^https:\/\//.test(publicUrl)) problems.push(`publicUrl must be an https:// address (got "${publicUrl}")`);

  const streamArns = (text('streamArns') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const arn of streamArns) {
    if (!/^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[^/]+\/stream\/.+$/.test(arn)) problems.push(`streamArns: "${arn}" is not a DynamoDB stream ARN`);
  }
  const streamReader = text('streamReader', 'service');
  if (streamReader !== 'service' && streamReader !== 'lambda') problems.push(`streamReader must be service or lambda (got "${streamReader}")`);
  const eventRulesFile = text('eventRulesFile');
  if (streamArns.length > 0 && !eventRulesFile) problems.push('eventRulesFile is required when streamArns is given (EVENT_RULES_FILE: a path inside the image)');

  let streamLambdaCode: HeraldDeploySettings['streamLambdaCode'] = null;
  const code = text('streamLambdaCode');
  if (code) {
    const m = /^s3:\/\/([^/]+)\/(.+\.zip)$/.exec(code);
    if (m) streamLambdaCode = { bucket: m[1], key: m[2] };
    else problems.push(`streamLambdaCode must be s3://<bucket>/<key>.zip (got "${code}")`);
  }
  if (streamReader === 'lambda') {
    if (!streamLambdaCode) problems.push('streamLambdaCode is required when streamReader is lambda');
    if (streamArns.length === 0) problems.push('streamArns is required when streamReader is lambda');
  }

  const environment = object('environment');
  for (const name of Object.keys(environment)) {
    if ((SECRET_SETTINGS as readonly string[]).includes(name)) problems.push(`environment.${name} holds a credential: give it in secretReferences instead`);
    if (['HERALD_ROLES', 'DATABASE_URL', 'PUBLIC_URL', 'SQS_QUEUE_PREFIX', 'INTAKE_QUEUE', 'STREAM_SOURCES'].includes(name)) problems.push(`environment.${name} is set by the stack`);
  }
  const secretReferences = object('secretReferences');
  for (const [name, ref] of Object.entries(secretReferences)) {
    if (!(SECRET_SETTINGS as readonly string[]).includes(name)) problems.push(`secretReferences.${name} is not a secret setting (known: ${SECRET_SETTINGS.join(', ')})`);
    if (name === 'DATABASE_URL' || name === 'LINK_SIGNING_SECRET') problems.push(`secretReferences.${name} is managed by the stack`);
    if (!/^(ssm:\S+|secretsmanager:\S+)$/.test(ref)) problems.push(`secretReferences.${name} must be ssm:<name> or secretsmanager:<secret id>[#<json key>] (got "${ref}")`);
  }

  const settings: HeraldDeploySettings = {
    image: image ?? '',
    publicUrl: publicUrl ?? '',
    certificateArn: text('certificateArn'),
    queuePrefix: text('queuePrefix', 'herald-')!,
    intakeQueueName: text('intakeQueue', 'herald-intake')!,
    maxReceiveCount: integer('maxReceiveCount', 5, 2),
    visibilityTimeoutSeconds: integer('visibilityTimeoutSeconds', 60, 1),
    streamArns,
    streamReader: streamReader === 'lambda' ? 'lambda' : 'service',
    streamLambdaCode,
    eventRulesFile,
    maxTasks: integer('maxTasks', 10, 1),
    environment,
    secretReferences,
    alarmEmail: text('alarmEmail'),
  };
  if (problems.length) throw new Error(`Herald deployment settings:\n- ${problems.join('\n- ')}`);
  return settings;
}
