/**
 * The environment of a Herald process (`dist/src/main.js`) on the test run's Postgres database and SQS emulator:
 * its port, its database, its own queues (created at start, short long-polls) and the AWS settings the emulator
 * takes. A test adds its roles, providers and anything else it needs.
 */
export function processEnv(options: { port: number; databaseUrl: string; queuePrefix: string }): Record<string, string> {
  return {
    PORT: String(options.port),
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    AWS_REGION: process.env.AWS_REGION!,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    SQS_ENDPOINT: process.env.SQS_ENDPOINT!,
    SQS_QUEUE_PREFIX: `${options.queuePrefix}${Date.now().toString(36)}-`,
    SQS_CREATE_QUEUES: 'true',
    SQS_WAIT_TIME_SECONDS: '1',
  };
}
