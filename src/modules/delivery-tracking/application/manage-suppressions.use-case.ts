import { Injectable } from '@nestjs/common';
import { SuppressionNotFoundError } from '../../../domain/errors/domain-errors';
import type { Channel } from '../../../domain/notification/channel';
import { AuditLog } from '../../../domain/ports/audit-log.port';
import { SuppressionList, type Suppression } from '../../../domain/ports/suppression-list.port';

/** Lists suppressed addresses. */
@Injectable()
export class ListSuppressions {
  constructor(private readonly list: SuppressionList) {}

  execute(input: { channel?: Channel; address?: string; limit: number }): Promise<Suppression[]> {
    return this.list.list({ channel: input.channel, address: input.address }, input.limit);
  }
}

/** Removes an address from the suppression list, so that Herald sends to it again. */
@Injectable()
export class RemoveSuppression {
  constructor(
    private readonly list: SuppressionList,
    private readonly audit: AuditLog,
  ) {}

  async execute(input: { channel: Channel; address: string; actorKeyId: string | null }): Promise<void> {
    if (!(await this.list.remove(input.channel, input.address))) throw new SuppressionNotFoundError(input.channel, input.address);
    // Right after the removal, in its own statement.
    await this.audit.record({ keyId: input.actorKeyId, action: 'suppression.removed', target: `suppression:${input.channel}:${input.address}`, before: { channel: input.channel, address: input.address }, after: null });
  }
}

/** Adds an address by hand (e.g. a user asked never to be emailed). Adding one already listed changes nothing. */
@Injectable()
export class AddSuppression {
  constructor(
    private readonly list: SuppressionList,
    private readonly audit: AuditLog,
  ) {}

  async execute(input: { channel: Channel; address: string; reason: string; actorKeyId: string | null }): Promise<{ added: boolean }> {
    const added = (await this.list.add([{ channel: input.channel, address: input.address, reason: input.reason, source: 'api' }])) > 0;
    // Right after the change, and only when there was one.
    if (added) {
      const after = { channel: input.channel, address: input.address, reason: input.reason };
      await this.audit.record({ keyId: input.actorKeyId, action: 'suppression.added', target: `suppression:${input.channel}:${input.address}`, before: null, after });
    }
    return { added };
  }
}
