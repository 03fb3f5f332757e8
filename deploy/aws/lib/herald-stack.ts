import { Arn, ArnFormat, CfnOutput, Duration, Fn, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ROLES, WORKER_CHANNELS, type Role } from '../../../src/infrastructure/config/roles';
import type { HeraldDeploySettings } from './settings';

const PORT = 3000;
/** DynamoDB Streams keep records 24 hours; alarm at 75% of it, like HeraldStreamLagNearRetention. */
const STREAM_LAG_ALARM_SECONDS = 0.75 * 24 * 3600;
/** Every role's liveness endpoint; the same probe as the Dockerfile's HEALTHCHECK. */
const LIVENESS_COMMAND = `node -e "fetch('http://127.0.0.1:${PORT}/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`;

type Channel = (typeof WORKER_CHANNELS)[number];

/** A queue Herald consumes and the dead-letter queue its redrive policy moves failing messages to. */
export interface QueuePair {
  queue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
}

export interface HeraldStackProps extends StackProps {
  settings: HeraldDeploySettings;
}

/**
 * Herald on ECS Fargate: one service per role from one image, the channel and intake queues with their
 * dead-letter queues, Aurora PostgreSQL, the api role behind a load balancer, and CloudWatch alarms.
 */
export class HeraldStack extends Stack {
  readonly channelQueues = new Map<Channel, QueuePair>();
  readonly intakeQueue: QueuePair;
  readonly services = new Map<Role, ecs.FargateService>();
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: HeraldStackProps) {
    super(scope, id, props);
    const s = props.settings;

    this.alarmTopic = new sns.Topic(this, 'Alarms', { displayName: 'Herald alarms' });
    if (s.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(s.alarmEmail));

    // Queues: the names Herald derives itself (`<SQS_QUEUE_PREFIX><channel>`, `<name>-dlq`), created the way
    // QueueDirectory creates them when SQS_CREATE_QUEUES=true, so that either can own them.
    for (const channel of WORKER_CHANNELS) this.channelQueues.set(channel, this.queuePair(`Queue-${channel}`, `${s.queuePrefix}${channel}`, s));
    this.intakeQueue = this.queuePair('IntakeQueue', s.intakeQueueName, s);

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    // The generated password has no characters that would need escaping in DATABASE_URL.
    const database = new rds.DatabaseCluster(this, 'Database', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
      credentials: rds.Credentials.fromGeneratedSecret('herald', { excludeCharacters: ` %+~\`#$&*()|[]{}:;<>?!'/@"\\=^,.-_` }),
      defaultDatabaseName: 'herald',
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      readers: [rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true })],
      serverlessV2MinCapacity: 0.5,
      serverlessV2MaxCapacity: 8,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      storageEncrypted: true,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    const dbSecret = database.secret!;
    // Herald takes one DATABASE_URL. CloudFormation resolves the password reference at deploy time; the
    // template holds only the reference. (A rotation of the cluster secret is not carried into this one.)
    const databaseUrl = new secretsmanager.Secret(this, 'DatabaseUrl', {
      description: 'DATABASE_URL of Herald',
      secretStringValue: SecretValue.unsafePlainText(
        Fn.join('', [
          'postgres://herald:',
          dbSecret.secretValueFromJson('password').unsafeUnwrap(),
          '@',
          database.clusterEndpoint.hostname,
          ':',
          database.clusterEndpoint.port.toString(),
          '/herald?sslmode=no-verify',
        ]),
      ),
    });
    const linkSigningSecret = new secretsmanager.Secret(this, 'LinkSigningSecret', {
      description: 'LINK_SIGNING_SECRET of Herald',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    const environment: Record<string, string> = {
      ...s.environment,
      AWS_REGION: this.region,
      PORT: String(PORT),
      PUBLIC_URL: s.publicUrl,
      // The load balancer is the one proxy in front of the api role.
      TRUST_PROXY: s.environment.TRUST_PROXY ?? '1',
      SQS_QUEUE_PREFIX: s.queuePrefix,
      SQS_MAX_RECEIVE_COUNT: String(s.maxReceiveCount),
      SQS_VISIBILITY_TIMEOUT_SECONDS: String(s.visibilityTimeoutSeconds),
      INTAKE_QUEUE: this.intakeQueue.queue.queueUrl,
      ...Object.fromEntries(WORKER_CHANNELS.map((c) => [`SQS_QUEUE_${c.toUpperCase()}`, this.channelQueues.get(c)!.queue.queueUrl])),
      ...(s.eventRulesFile ? { EVENT_RULES_FILE: s.eventRulesFile } : {}),
      ...(s.streamArns.length ? { STREAM_SOURCES: s.streamArns.join(',') } : {}),
      // Secret settings given as references: Herald reads them from SSM or Secrets Manager at start.
      ...s.secretReferences,
    };

    const roles = ROLES.filter((r) => !(r === 'stream' && s.streamReader === 'lambda'));
    for (const role of roles) {
      const service = this.roleService(cluster, role, s, environment, {
        DATABASE_URL: ecs.Secret.fromSecretsManager(databaseUrl),
        LINK_SIGNING_SECRET: ecs.Secret.fromSecretsManager(linkSigningSecret),
      });
      database.connections.allowDefaultPortFrom(service, `Herald ${role}`);
      this.grantQueues(role, service.taskDefinition.taskRole);
      this.grantSecretReferences(s.secretReferences, service.taskDefinition.taskRole);
      if (role === 'stream') this.grantStreamRead(s.streamArns, service.taskDefinition.taskRole);
      this.services.set(role, service);
    }

    const alb = this.apiLoadBalancer(vpc, this.services.get('api')!, s);
    this.scale(s);
    this.alarms(alb.targetGroup);
    if (s.streamReader === 'lambda') this.streamLambda(vpc, s, databaseUrl, database);

    new CfnOutput(this, 'LoadBalancerDns', { value: alb.loadBalancer.loadBalancerDnsName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'DatabaseUrlSecretArn', { value: databaseUrl.secretArn });
  }

  private queuePair(id: string, name: string, s: HeraldDeploySettings): QueuePair {
    const deadLetterQueue = new sqs.Queue(this, `${id}Dlq`, {
      queueName: `${name}-dlq`,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const queue = new sqs.Queue(this, id, {
      queueName: name,
      visibilityTimeout: Duration.seconds(s.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: s.maxReceiveCount },
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    return { queue, deadLetterQueue };
  }

  private roleService(
    cluster: ecs.Cluster,
    role: Role,
    s: HeraldDeploySettings,
    environment: Record<string, string>,
    secrets: Record<string, ecs.Secret>,
  ): ecs.FargateService {
    const id = roleId(role);
    const api = role === 'api';
    const taskDefinition = new ecs.FargateTaskDefinition(this, `${id}Task`, {
      cpu: api ? 512 : 256,
      memoryLimitMiB: api ? 1024 : 512,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    taskDefinition.addContainer('herald', {
      containerName: 'herald',
      image: ecs.ContainerImage.fromRegistry(s.image),
      environment: { ...environment, HERALD_ROLES: role },
      secrets,
      portMappings: [{ containerPort: PORT, name: 'http' }],
      healthCheck: {
        command: ['CMD-SHELL', LIVENESS_COMMAND],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(3),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: id,
        logGroup: new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      }),
      // A process stops consuming on SIGTERM and finishes its work in flight; give it the lease's time.
      stopTimeout: Duration.seconds(60),
    });
    return new ecs.FargateService(this, `${id}Service`, {
      cluster,
      serviceName: `herald-${role.replace(':', '-')}`,
      taskDefinition,
      desiredCount: api ? 2 : 1,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      enableExecuteCommand: false,
    });
  }

  /**
   * What each role does with the queues: every role checks depths for /health/ready; the relay publishes;
   * a worker consumes its channel's queue (and re-publishes retries); the api role reads and redrives
   * dead-letter queues; the intake role consumes the intake queue.
   */
  private grantQueues(role: Role, grantee: iam.IGrantable): void {
    const all = [...this.channelQueues.values()];
    for (const { queue, deadLetterQueue } of all) {
      queue.grant(grantee, 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
      deadLetterQueue.grant(grantee, 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
    }
    if (role === 'relay' || role === 'scheduler' || role === 'api') for (const { queue } of all) queue.grantSendMessages(grantee);
    if (role === 'api') for (const { deadLetterQueue } of all) deadLetterQueue.grantConsumeMessages(grantee);
    if (role.startsWith('worker:')) {
      const { queue } = this.channelQueues.get(role.slice('worker:'.length) as Channel)!;
      queue.grantConsumeMessages(grantee);
      queue.grantSendMessages(grantee);
    }
    if (role === 'intake') {
      this.intakeQueue.queue.grantConsumeMessages(grantee);
      this.intakeQueue.queue.grant(grantee, 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
    }
  }

  private grantSecretReferences(references: Record<string, string>, grantee: iam.IGrantable): void {
    for (const ref of new Set(Object.values(references))) {
      if (ref.startsWith('secretsmanager:')) {
        const rest = ref.slice('secretsmanager:'.length);
        const secretId = rest.includes('#') ? rest.slice(0, rest.lastIndexOf('#')) : rest;
        // A name matches the ARN with the random suffix Secrets Manager appends.
        const arn = secretId.startsWith('arn:')
          ? secretId
          : Arn.format({ service: 'secretsmanager', resource: 'secret', resourceName: `${secretId}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, this);
        grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] }));
      } else {
        const name = ref.slice('ssm:'.length);
        const arn = name.startsWith('arn:')
          ? name
          : Arn.format({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, this);
        grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [arn] }));
      }
    }
  }

  /** docs/event-sources.md: DescribeStream, GetShardIterator and GetRecords on the streams. */
  private grantStreamRead(streamArns: string[], grantee: iam.IGrantable): void {
    if (streamArns.length === 0) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords', 'dynamodb:ListStreams'],
        resources: streamArns,
      }),
    );
  }

  private apiLoadBalancer(vpc: ec2.IVpc, api: ecs.FargateService, s: HeraldDeploySettings) {
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'ApiLoadBalancer', { vpc, internetFacing: true });
    const listener = s.certificateArn
      ? loadBalancer.addListener('Https', {
          port: 443,
          certificates: [elbv2.ListenerCertificate.fromArn(s.certificateArn)],
          sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        })
      : loadBalancer.addListener('Http', { port: 80 });
    if (s.certificateArn) loadBalancer.addRedirect();
    const targetGroup = listener.addTargets('Api', {
      port: PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [api.loadBalancerTarget({ containerName: 'herald', containerPort: PORT })],
      // Readiness takes a task out of the load balancer when its database or queues do not answer;
      // liveness (the container health check) is what restarts it.
      healthCheck: { path: '/health/ready', healthyHttpCodes: '200', interval: Duration.seconds(15), timeout: Duration.seconds(5), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
      deregistrationDelay: Duration.seconds(30),
    });
    return { loadBalancer, targetGroup };
  }

  private scale(s: HeraldDeploySettings): void {
    for (const role of ['api', 'relay'] as const) {
      const service = this.services.get(role)!;
      service
        .autoScaleTaskCount({ minCapacity: role === 'api' ? 2 : 1, maxCapacity: s.maxTasks })
        .scaleOnCpuUtilization(`${roleId(role)}Cpu`, { targetUtilizationPercent: 60, scaleInCooldown: Duration.minutes(5), scaleOutCooldown: Duration.minutes(1) });
    }
    const queueScaled: Array<[Role, sqs.Queue]> = [
      ...WORKER_CHANNELS.map((c) => [`worker:${c}` as Role, this.channelQueues.get(c)!.queue] as [Role, sqs.Queue]),
      ['intake', this.intakeQueue.queue],
    ];
    for (const [role, queue] of queueScaled) {
      this.services
        .get(role)!
        .autoScaleTaskCount({ minCapacity: 1, maxCapacity: s.maxTasks })
        .scaleOnMetric(`${roleId(role)}QueueDepth`, {
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
          scalingSteps: [
            { upper: 10, change: -1 },
            { lower: 100, change: +1 },
            { lower: 1000, change: +3 },
          ],
          adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
          cooldown: Duration.minutes(2),
        });
    }
  }

  private alarm(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
    return alarm;
  }

  /** The Prometheus rules of docker/prometheus/alerts.yml that have a CloudWatch metric (deploy/aws/README.md lists the rest). */
  private alarms(apiTargets: elbv2.ApplicationTargetGroup): void {
    const pairs: Array<[string, QueuePair]> = [...[...this.channelQueues].map(([c, p]) => [c, p] as [string, QueuePair]), ['intake', this.intakeQueue]];
    for (const [name, { queue, deadLetterQueue }] of pairs) {
      // HeraldQueueDepthGrowing: more than 1,000 messages for 15 minutes.
      this.alarm(`QueueDepth-${name}`, {
        alarmName: `herald-${name}-queue-depth`,
        alarmDescription: `HeraldQueueDepthGrowing: the ${name} queue holds more than 1,000 messages for 15 minutes`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 1000,
        evaluationPeriods: 15,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarm(`QueueAge-${name}`, {
        alarmName: `herald-${name}-queue-age`,
        alarmDescription: `The oldest message of the ${name} queue waits more than 10 minutes: consumers are not keeping up or not running`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 600,
        evaluationPeriods: 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarm(`DeadLetters-${name}`, {
        alarmName: `herald-${name}-dlq-not-empty`,
        alarmDescription: `Messages reached ${deadLetterQueue.node.id}: they failed ${name} consumption repeatedly (inspect and redrive with the API)`,
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    // HeraldProcessDown: a role has no running task for 2 minutes (Container Insights).
    for (const [role, service] of this.services) {
      this.alarm(`NoTasks-${roleId(role)}`, {
        alarmName: `herald-${role.replace(':', '-')}-no-running-task`,
        alarmDescription: `HeraldProcessDown: the ${role} service has no running task`,
        metric: new cloudwatch.Metric({
          namespace: 'ECS/ContainerInsights',
          metricName: 'RunningTaskCount',
          dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
          period: Duration.minutes(1),
          statistic: 'Minimum',
        }),
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }
    this.alarm('ApiNoHealthyTargets', {
      alarmName: 'herald-api-no-healthy-target',
      alarmDescription: 'HeraldProcessDown: no api task passes /health/ready behind the load balancer',
      metric: apiTargets.metrics.healthyHostCount({ period: Duration.minutes(1), statistic: 'Minimum' }),
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }

  /** docs/event-sources.md, "Lambda handler": the function and its event source mapping, with the settings documented there. */
  private streamLambda(vpc: ec2.IVpc, s: HeraldDeploySettings, databaseUrl: secretsmanager.ISecret, database: rds.DatabaseCluster): void {
    const failures = new sqs.Queue(this, 'StreamFailures', {
      queueName: `${s.queuePrefix}stream-failures`,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const fn = new lambda.Function(this, 'StreamHandler', {
      functionName: `${s.queuePrefix}stream`,
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'dist/src/lambda/dynamodb-stream.handler.handler',
      code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(this, 'StreamHandlerCode', s.streamLambdaCode!.bucket), s.streamLambdaCode!.key),
      memorySize: 512,
      timeout: Duration.minutes(1),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      environment: {
        // The handler reads secret references at its cold start, like a process.
        DATABASE_URL: `secretsmanager:${databaseUrl.secretArn}`,
        EVENT_RULES_FILE: s.eventRulesFile!,
        DATABASE_POOL_SIZE: '2',
        MIGRATIONS_RUN: 'false',
      },
      logGroup: new logs.LogGroup(this, 'StreamHandlerLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    });
    databaseUrl.grantRead(fn);
    database.connections.allowDefaultPortFrom(fn, 'Herald stream handler');
    this.grantStreamRead(s.streamArns, fn);
    for (const [i, arn] of s.streamArns.entries()) {
      new lambda.EventSourceMapping(this, `StreamMapping${i}`, {
        target: fn,
        eventSourceArn: arn,
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(6),
        parallelizationFactor: 1,
        onFailure: new SqsDlq(failures),
      });
    }
    // HeraldStreamLagNearRetention, from the Lambda's own metric.
    this.alarm('StreamHandlerIteratorAge', {
      alarmName: 'herald-stream-handler-iterator-age',
      alarmDescription: 'HeraldStreamLagNearRetention: the stream handler is past 75% of the 24 h stream retention',
      metric: fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: STREAM_LAG_ALARM_SECONDS * 1000,
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/** A construct id for a role: `worker:email` -> `WorkerEmail`. */
export function roleId(role: Role): string {
  return role
    .split(/[:-]/)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}
