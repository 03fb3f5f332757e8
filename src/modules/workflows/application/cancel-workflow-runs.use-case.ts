import { Injectable, Logger } from '@nestjs/common';
import { NotificationNotCancellableError, NotificationNotFoundError } from '../../../domain/errors/domain-errors';
import { WorkflowRuns } from '../../../domain/ports/workflow-runs.port';
import { CancelNotification } from '../../scheduled-sends/application/cancel-notification.use-case';

/**
 * Cancels every unfinished run with a run key (or one run by id): steps already done stay done, a waiting delay,
 * digest or outcome wait never fires, and notifications its send steps scheduled for later are cancelled too.
 */
@Injectable()
export class CancelWorkflowRuns {
  private readonly logger = new Logger('Workflows');

  constructor(
    private readonly runs: WorkflowRuns,
    private readonly cancelNotification: CancelNotification,
  ) {}

  async execute(input: { target: { workflowKey: string; runKey: string } | { runId: string }; by: string }): Promise<{ cancelled: string[]; notificationsCancelled: string[] }> {
    const cancelled = await this.runs.cancel(input.target, `cancelled by ${input.by}`);
    const notificationsCancelled: string[] = [];
    for (const id of cancelled.flatMap((c) => c.scheduledNotificationIds)) {
      try {
        await this.cancelNotification.execute({ id, by: input.by });
        notificationsCancelled.push(id);
      } catch (err) {
        // Released for sending since it was read: too late, as for any scheduled notification.
        if (!(err instanceof NotificationNotCancellableError || err instanceof NotificationNotFoundError)) throw err;
        this.logger.warn(`scheduled notification ${id} of a cancelled workflow run could not be cancelled: ${err.message}`);
      }
    }
    return { cancelled: cancelled.map((c) => c.runId), notificationsCancelled };
  }
}
