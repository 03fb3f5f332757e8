import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HeraldStack } from '../../deploy/aws/lib/herald-stack';
import { readDeploySettings } from '../../deploy/aws/lib/settings';
import { ROLES, WORKER_CHANNELS } from '../../src/infrastructure/config/roles';
import { parseSecretReference } from '../../src/infrastructure/config/secret-reference';
import { loadConfig } from '../../src/infrastructure/config/load-config';

/**
 * Synthesises deploy/aws in-process (no AWS account, no network, no Docker) and checks the CloudFormation
 * template against what Herald expects. It proves the template's shape, not that AWS accepts or runs it.
 */
const STREAM_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000';
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/herald:test';
const ENV = { account: '123456789012', region: 'eu-west-1' };

// Synthesis writes the cloud assembly to a folder; keep it out of the work tree and remove it afterwards.
const outdir = mkdtempSync(join(tmpdir(), 'herald-cdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function synth(context: Record<string, unknown>): Template {
  const app = new App({ context, outdir: mkdtempSync(join(outdir, 'app-')) });
  const settings = readDeploySettings((key) => app.node.tryGetContext(key));
  return Template.fromStack(new HeraldStack(app, 'Herald', { settings, env: ENV }));
}

const baseContext = {
  image: IMAGE,
  publicUrl: 'https://herald.example.com',
  streamArns: STREAM_ARN,
  eventRulesFile: '/app/rules.yaml',
  environment: { EMAIL_PROVIDERS: 'ses', EMAIL_FROM: 'Herald <no-reply@example.com>' },
  secretReferences: { TWILIO_AUTH_TOKEN: 'secretsmanager:herald/twilio#token', VAPID_PRIVATE_KEY: 'ssm:/herald/vapid-private-key' },
};

type Resource = { Type: string; Properties: Record<string, unknown> };
type ContainerDefinition = {
  Image: string;
  Environment: Array<{ Name: string; Value: unknown }>;
  Secrets: Array<{ Name: string; ValueFrom: unknown }>;
  HealthCheck: { Command: string[] };
};

describe('deploy/aws: the CDK stack synthesises', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  // Logical id of each queue, by its QueueName.
  const queueIds = new Map<string, string>();

  beforeAll(() => {
    template = synth(baseContext);
    resources = template.toJSON().Resources as Record<string, Resource>;
    for (const [id, r] of Object.entries(resources)) if (r.Type === 'AWS::SQS::Queue') queueIds.set(r.Properties.QueueName as string, id);
  });

  const containerOf = (role: string): ContainerDefinition => {
    const found = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::ECS::TaskDefinition' &&
        (r.Properties.ContainerDefinitions as ContainerDefinition[])[0].Environment.some((e) => e.Name === 'HERALD_ROLES' && e.Value === role),
    );
    expect(found).toHaveLength(1);
    return (found[0].Properties.ContainerDefinitions as ContainerDefinition[])[0];
  };
  const scalingPoliciesOf = (serviceName: string) =>
    Object.values(resources).filter((r) => {
      if (r.Type !== 'AWS::ApplicationAutoScaling::ScalingPolicy') return false;
      const targetId = (r.Properties.ScalingTargetId as { Ref: string }).Ref;
      return JSON.stringify(resources[targetId].Properties.ResourceId).includes(serviceIdByName(serviceName));
    });
  const serviceIdByName = (name: string): string =>
    Object.entries(resources).find(([, r]) => r.Type === 'AWS::ECS::Service' && r.Properties.ServiceName === name)![0];

  it('has each channel queue, the intake queue and their dead-letter queues, named as Herald derives them, with redrive policies', () => {
    // Herald's own defaults decide the names and the receive count.
    const herald = loadConfig({ DATABASE_URL: 'postgres://h@localhost/h', AWS_REGION: 'eu-west-1', HERALD_ROLES: 'relay' });
    const names = [...WORKER_CHANNELS.map((c) => `${herald.queues.prefix}${c}`), 'herald-intake'];
    expect(queueIds.size).toBe(names.length * 2);
    for (const name of names) {
      const dlqId = queueIds.get(`${name}-dlq`);
      expect(dlqId).toBeDefined();
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: name,
        VisibilityTimeout: herald.queues.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: herald.queues.maxReceiveCount },
      });
      template.hasResourceProperties('AWS::SQS::Queue', { QueueName: `${name}-dlq`, MessageRetentionPeriod: 14 * 24 * 3600 });
    }
  });

  it('runs one Fargate service per role from the one image, with HERALD_ROLES, the liveness check and the queue URLs', () => {
    template.resourceCountIs('AWS::ECS::Service', ROLES.length);
    for (const role of ROLES) {
      template.hasResourceProperties('AWS::ECS::Service', { ServiceName: `herald-${role.replace(':', '-')}`, LaunchType: 'FARGATE' });
      const c = containerOf(role);
      expect(c.Image).toBe(IMAGE);
      expect(c.HealthCheck.Command.join(' ')).toContain('/health/live');
      const env = Object.fromEntries(c.Environment.map((e) => [e.Name, e.Value]));
      for (const channel of WORKER_CHANNELS) {
        expect(env[`SQS_QUEUE_${channel.toUpperCase()}`]).toEqual({ Ref: queueIds.get(`herald-${channel}`) });
      }
      expect(env.INTAKE_QUEUE).toEqual({ Ref: queueIds.get('herald-intake') });
      expect(env.PUBLIC_URL).toBe('https://herald.example.com');
      expect(env.STREAM_SOURCES).toBe(STREAM_ARN);
      expect(env.EMAIL_PROVIDERS).toBe('ses');
      // Secret settings: the database URL and link secret as ECS secrets, the others as Herald's references.
      expect(c.Secrets.map((x) => x.Name).sort()).toEqual(['DATABASE_URL', 'LINK_SIGNING_SECRET']);
      expect(parseSecretReference(env.TWILIO_AUTH_TOKEN as string)).toMatchObject({ ok: true, reference: { store: 'secretsmanager', secretId: 'herald/twilio', jsonKey: 'token' } });
      expect(parseSecretReference(env.VAPID_PRIVATE_KEY as string)).toMatchObject({ ok: true, reference: { store: 'ssm', name: '/herald/vapid-private-key' } });
      expect(Object.keys(env)).not.toContain('DATABASE_URL');
    }
  });

  it('lets each task read the secrets it is given by reference', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'secretsmanager:GetSecretValue', Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':secret:herald/twilio-\\?\\?\\?\\?\\?\\?$')])] } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'ssm:GetParameter', Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':parameter/herald/vapid-private-key$')])] } })]),
      },
    });
  });

  it('puts the api role behind the load balancer, health-checked on /health/ready', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 3000, HealthCheckPath: '/health/ready', TargetType: 'ip' });
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'herald-api',
      LoadBalancers: [Match.objectLike({ ContainerName: 'herald', ContainerPort: 3000 })],
    });
    const others = Object.values(resources).filter((r) => r.Type === 'AWS::ECS::Service' && r.Properties.ServiceName !== 'herald-api');
    expect(others.every((r) => r.Properties.LoadBalancers === undefined)).toBe(true);
  });

  it("scales each worker and the intake role on its queue's depth", () => {
    const consumers: Array<[string, string]> = [...WORKER_CHANNELS.map((c) => [`herald-worker-${c}`, `herald-${c}`] as [string, string]), ['herald-intake', 'herald-intake']];
    for (const [service, queue] of consumers) {
      const policies = scalingPoliciesOf(service);
      expect(policies).toHaveLength(2); // step scaling makes one policy to scale out and one to scale in
      for (const p of policies) expect(p.Properties.PolicyType).toBe('StepScaling');
      const policyIds = policies.map((p) => Object.entries(resources).find(([, x]) => x === p)![0]);
      const alarms = Object.values(resources).filter(
        (r) => r.Type === 'AWS::CloudWatch::Alarm' && policyIds.some((id) => JSON.stringify(r.Properties.AlarmActions) === JSON.stringify([{ Ref: id }])),
      );
      for (const a of alarms) {
        expect(a.Properties).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' });
        expect(a.Properties.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueIds.get(queue), 'QueueName'] } }]);
      }
      expect(alarms).toHaveLength(2);
    }
  });

  it('scales the api and relay roles on CPU', () => {
    for (const service of ['herald-api', 'herald-relay']) {
      const policies = scalingPoliciesOf(service);
      expect(policies).toHaveLength(1);
      expect(policies[0].Properties).toMatchObject({
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 60 },
      });
    }
  });

  it('has an encrypted Aurora PostgreSQL cluster that only the services reach, and DATABASE_URL built from its secret', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql', DatabaseName: 'herald', StorageEncrypted: true, DeletionProtection: true });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^postgres://herald:\\{\\{resolve:secretsmanager:$')])] },
    });
    const ingress = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' && /^Herald /.test(String(r.Properties.Description)));
    expect(ingress.map((r) => r.Properties.Description).sort()).toEqual(ROLES.map((r) => `Herald ${r}`).sort());
  });

  it('raises CloudWatch alarms for queue depth and age, dead letters and roles without a running task, to the alarm topic', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && typeof r.Properties.AlarmName === 'string');
    const byName = new Map(alarms.map((a) => [a.Properties.AlarmName as string, a.Properties]));
    const topicId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::SNS::Topic')![0];
    for (const queue of [...WORKER_CHANNELS, 'intake']) {
      expect(byName.get(`herald-${queue}-queue-depth`)).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1000, EvaluationPeriods: 15 });
      expect(byName.get(`herald-${queue}-queue-age`)).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 600 });
      const dlq = byName.get(`herald-${queue}-dlq-not-empty`);
      expect(dlq).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      expect(dlq!.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueIds.get(`herald-${queue}-dlq`), 'QueueName'] } }]);
    }
    for (const role of ROLES) {
      expect(byName.get(`herald-${role.replace(':', '-')}-no-running-task`)).toMatchObject({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Threshold: 1 });
    }
    expect(byName.get('herald-api-no-healthy-target')).toMatchObject({ MetricName: 'HealthyHostCount' });
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  it("grants the stream role's task DescribeStream, GetShardIterator and GetRecords on the stream ARN, and no other role", () => {
    const streamPolicies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes('dynamodb:GetRecords'));
    expect(streamPolicies).toHaveLength(1);
    expect(streamPolicies[0].Properties.PolicyDocument).toMatchObject({
      Statement: expect.arrayContaining([expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords']), Resource: STREAM_ARN })]),
    });
    const roleRef = (streamPolicies[0].Properties.Roles as Array<{ Ref: string }>)[0].Ref;
    const streamTask = Object.values(resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition' && JSON.stringify(r.Properties.TaskRoleArn).includes(roleRef))!;
    expect((streamTask.Properties.ContainerDefinitions as ContainerDefinition[])[0].Environment).toContainEqual({ Name: 'HERALD_ROLES', Value: 'stream' });
  });
});

describe('deploy/aws: the Lambda stream handler instead of the stream role', () => {
  it('replaces the stream service by the function and an event source mapping with the documented settings', () => {
    const template = synth({ ...baseContext, streamReader: 'lambda', streamLambdaCode: 's3://herald-artifacts/herald-stream-1.4.0.zip' });
    template.resourceCountIs('AWS::ECS::Service', ROLES.length - 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'dist/src/lambda/dynamodb-stream.handler.handler',
      Code: { S3Bucket: 'herald-artifacts', S3Key: 'herald-stream-1.4.0.zip' },
      Environment: { Variables: Match.objectLike({ EVENT_RULES_FILE: '/app/rules.yaml', MIGRATIONS_RUN: 'false', DATABASE_URL: { 'Fn::Join': ['', ['secretsmanager:', Match.anyValue()]] } }) },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: STREAM_ARN,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 21600,
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Namespace: 'AWS/Lambda', Threshold: 0.75 * 24 * 3600 * 1000 });
  });
});

describe('deploy/aws: settings', () => {
  it('names every missing or bad setting in one error', () => {
    const context: Record<string, unknown> = { publicUrl: 'http://herald.example.com', streamArns: 'orders', maxReceiveCount: 1, secretReferences: { DATABASE_URL: 'ssm:/x', PORT: 'ssm:/p' } };
    let message = '';
    try {
      readDeploySettings((key) => context[key]);
    } catch (err) {
      message = (err as Error).message;
    }
    for (const problem of [
      'image is required',
      'publicUrl must be an https:// address',
      'streamArns: "orders" is not a DynamoDB stream ARN',
      'eventRulesFile is required when streamArns is given',
      'maxReceiveCount must be an integer of at least 2',
      'secretReferences.PORT is not a secret setting',
      'secretReferences.DATABASE_URL is managed by the stack',
    ]) {
      expect(message).toContain(problem);
    }
  });
});
