import type { Channel } from '../../../domain/notification/channel';
import { ChannelSender, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import {
  DeliveryLedger,
  type ClaimedNotification,
  type FinishedAttempt,
  type LeaseRecoveryReport,
  type StartedAttempt,
} from '../../../domain/ports/delivery-ledger.port';
import { DeliveryMetrics } from '../../../domain/ports/delivery-metrics.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { loadConfig } from '../../../infrastructure/config/load-config';
import { ChannelSenders } from '../channels/channel-senders';
import { ResolveRecipients } from './resolve-recipients';
import { SendNotifications } from './send-notifications.use-case';
import { WorkerIdentity } from './worker-identity';

/** A ledger whose claims and starts succeed and whose outcome statements always fail, as with the database gone. */
class LedgerThatCannotCommit extends DeliveryLedger {
  commitTries = 0;
  async claimForSending(ids: string[]): Promise<ClaimedNotification[]> {
    return ids.map((id) => ({ id, channel: 'email', recipient: { email: `${id}@example.com` }, content: {}, category: null, metadata: {}, attemptCount: 0 }));
  }
  async beginAttempts(ids: string[]): Promise<StartedAttempt[]> {
    return ids.map((id) => ({ notificationId: id, attemptId: `attempt-${id}`, attemptNumber: 1 }));
  }
  async finishAttempts(): Promise<void> {
    this.commitTries++;
    throw new Error('connection refused');
  }
  recoverExpiredLeases(): Promise<LeaseRecoveryReport> {
    throw new Error('not expected');
  }
  requeueStranded(): Promise<number> {
    throw new Error('not expected');
  }
}

/** Email that is sent at once, except for the notification named `slow`, which waits for `release`. */
class EmailSender extends ChannelSender {
  readonly channel: Channel = 'email';
  readonly resendable = false;
  release: () => void = () => undefined;
  private readonly held = new Promise<void>((resolve) => (this.release = resolve));
  override get maxInFlight(): number {
    return 4;
  }
  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    if (notification.id === 'slow') await this.held;
    return { provider: 'smtp', result: { outcome: 'sent', providerMessageId: `<${notification.id}@herald>` } };
  }
}

const noMetrics = Object.assign(Object.create(DeliveryMetrics.prototype) as DeliveryMetrics, {
  accepted: () => undefined,
  settled: () => undefined,
  reconciliationFinding: () => undefined,
  breakerState: () => undefined,
  streamLag: () => undefined,
});

describe('SendNotifications when outcomes cannot be committed', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  it('waits for the slow send of the wave, then fails the batch, with no rejection left unobserved meanwhile', async () => {
    const config = loadConfig({
      HERALD_ROLES: 'worker:email',
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused_test',
      AWS_REGION: 'us-east-1',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      EMAIL_FROM: 'Herald <no-reply@herald.test>',
      LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123',
      PUBLIC_URL: 'https://herald.test',
    });
    const ledger = new LedgerThatCannotCommit();
    const sender = new EmailSender();
    const senders = Object.assign(Object.create(ChannelSenders.prototype) as ChannelSenders, { get: () => sender });
    const directory = Object.create(RecipientDirectory.prototype) as RecipientDirectory;
    const useCase = new SendNotifications(ledger, senders, config, new WorkerIdentity(), [], new ResolveRecipients(directory), noMetrics);

    // One wave of two: the fast email's outcome is committed on its own after the linger, and that commit fails
    // (five tries, about six seconds) while the slow email is still being sent.
    const batch = useCase.execute({ channel: 'email', notificationIds: ['fast', 'slow'] });
    let settled = false;
    batch.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let i = 0; i < 200 && ledger.commitTries < 5; i++) await new Promise((r) => setTimeout(r, 50));
    expect(ledger.commitTries).toBe(5);
    await new Promise((r) => setTimeout(r, 100));
    expect(unhandled).toEqual([]);
    expect(settled).toBe(false);

    sender.release();
    await expect(batch).rejects.toThrow('connection refused');
    expect(ledger.commitTries).toBe(10);
    expect(unhandled).toEqual([]);
  }, 30_000);
});
