/**
 * The peer row of the push benchmark: the same push workload through BullMQ on Redis, as Novu runs its workers,
 * in two processes of its own (so that the CPU of each is counted apart from the queue server's): a producer that
 * adds the jobs, and a worker that sends each job's FCM v1 message to the push peer on Herald's own provider HTTP
 * client (undici's `request` on the shared keep-alive agent, `callProvider`), the one Herald's FCM adapter uses.
 *
 * Novu's settings (novuhq/novu):
 * - libs/application-generic/src/config/workers.ts: every worker `concurrency: 200`, `lockDuration: 90000`
 *   (WORKER_DEFAULT_CONCURRENCY / WORKER_DEFAULT_LOCK_DURATION override them).
 * - libs/application-generic/src/services/queues/queue-base.service.ts: every job added with
 *   `removeOnComplete: true, removeOnFail: true`; the queue's default job options `removeOnComplete: true`.
 * - apps/worker/src/app/workflow/usecases/add-job/add-job.usecase.ts: a step job gets no `attempts` (BullMQ's
 *   default, one) unless its step has a webhook filter, when it gets `attempts: 3` and Novu's own backoff.
 *   Push steps have none, so one attempt, no backoff.
 * Novu runs BullMQ Pro and adds each job to its organization's group; open-source BullMQ has no groups, and one
 * organization is one group, so there is nothing to configure.
 *
 * Started by the driver with `fork(bullmq-peer.js, ['producer' | 'worker'])`, REDIS_URL, BULLMQ_QUEUE,
 * BULLMQ_PREFIX and FCM_BASE_URL in its environment; spoken to over IPC.
 */
import { Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { callProvider, isHttpFailure } from '../src/infrastructure/providers/http/provider-http';
import { pushRequest, FCM_PROJECT } from './workload';

export type BullmqRequest = { type: 'produce'; tag: string; count: number; batchSize: number; concurrency: number } | { type: 'stop' };
export type BullmqMessage =
  | { type: 'ready'; redisPid: number | null }
  | { type: 'produced'; accepted: Array<[first: number, count: number, epochMs: number]> }
  | { type: 'failed'; message: string };

/** Novu's worker options (workers.ts) and job options (queue-base.service.ts, add-job.usecase.ts). */
export const NOVU_WORKER_OPTIONS = { concurrency: 200, lockDuration: 90_000 } as const;
export const NOVU_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;

interface PushJob {
  id: string;
  token: string;
  title: string;
  body: string;
  data: Record<string, string>;
}

const role = process.argv[2];
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const queueName = process.env.BULLMQ_QUEUE ?? 'herald-bench-push';
const prefix = process.env.BULLMQ_PREFIX ?? 'bull';
const fcmUrl = `${process.env.FCM_BASE_URL}/v1/projects/${encodeURIComponent(FCM_PROJECT)}/messages:send`;
const send = (msg: BullmqMessage) => process.send!(msg);

/** The FCM v1 message Herald's adapter sends for the same push, over the same HTTP client. */
async function deliver(job: Job<PushJob>): Promise<void> {
  const p = job.data;
  const message = {
    token: p.token,
    notification: { title: p.title, body: p.body },
    data: { ...p.data, heraldNotificationId: p.id },
    android: { priority: 'high' },
    apns: { headers: { 'apns-collapse-id': p.id } },
  };
  const answer = await callProvider(
    'fcm',
    fcmUrl,
    { method: 'POST', headers: { Authorization: 'Bearer bench-access-token', 'Content-Type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ message }) },
    10_000,
  );
  if (isHttpFailure(answer)) throw new Error(`${answer.code}: ${answer.message}`);
  if (answer.status < 200 || answer.status >= 300) throw new Error(`FCM peer answered ${answer.status}`);
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
async function lanes(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await task(next++);
  }));
}

async function main(): Promise<void> {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const info = await connection.info('server');
  const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1]) || null;
  if (role === 'worker') {
    const worker = new Worker<PushJob>(queueName, deliver, { connection, prefix, ...NOVU_WORKER_OPTIONS });
    worker.on('failed', (job, err) => process.stderr.write(`BullMQ job ${job?.id} failed: ${err.message}\n`));
    await worker.waitUntilReady();
    process.on('message', (msg: BullmqRequest) => {
      if (msg.type === 'stop') void worker.close().then(() => connection.quit()).finally(() => process.exit(0));
    });
  } else if (role === 'producer') {
    const queue = new Queue<PushJob>(queueName, { connection, prefix, defaultJobOptions: { removeOnComplete: true } });
    await queue.waitUntilReady();
    process.on('message', (msg: BullmqRequest) => {
      if (msg.type === 'stop') {
        // The run's queue leaves nothing behind in the Redis (its meta, id and events keys).
        void queue
          .obliterate({ force: true })
          .catch(() => undefined)
          .then(() => queue.close())
          .then(() => connection.quit())
          .finally(() => process.exit(0));
        return;
      }
      const accepted: Array<[number, number, number]> = [];
      const batches = Math.ceil(msg.count / msg.batchSize);
      // As Herald's intake is given the pushes: batches of --batch-size, two in flight, each one addBulk (one MULTI).
      lanes(batches, msg.concurrency, async (b) => {
        const first = b * msg.batchSize;
        const jobs = [];
        for (let i = first; i < Math.min(msg.count, first + msg.batchSize); i++) {
          const r = pushRequest(msg.tag, i);
          const id = `bullmq-${msg.tag}-${i}`;
          jobs.push({
            name: id,
            data: { id, token: r.recipient.deviceTokens[0].token, title: r.content.push.title, body: r.content.push.body, data: r.content.push.data },
            opts: NOVU_JOB_OPTIONS,
          });
        }
        await queue.addBulk(jobs);
        accepted.push([first, jobs.length, Date.now()]);
      }).then(
        () => send({ type: 'produced', accepted }),
        (err: Error) => send({ type: 'failed', message: err.message }),
      );
    });
  } else {
    throw new Error(`unknown role ${role}`);
  }
  send({ type: 'ready', redisPid });
}

process.on('disconnect', () => process.exit(0));
main().catch((err: Error) => {
  send({ type: 'failed', message: err.message });
  process.exit(1);
});
